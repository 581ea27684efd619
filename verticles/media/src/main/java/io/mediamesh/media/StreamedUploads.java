package io.mediamesh.media;

import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.common.db.Times;
import io.mediamesh.media.persistence.AssetRepository;
import io.mediamesh.media.upload.S3UploadStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Uploads streamed through the media service ({@code UploadRoute}): the object is written to storage as it arrives
 * ({@link S3UploadStream}), then recorded READY here, with media.uploaded and media.ready in one transaction.
 */
public final class StreamedUploads {

  private final Pool pool;
  private final Storage storage;
  private final MimePolicy policy;
  private final int partSizeBytes;
  private final ImageChecks images;
  private final AssetViews views;
  private final CmsClient cms;
  private final Clock clock;
  private final AssetRepository assets = new AssetRepository();

  StreamedUploads(Pool pool, Storage storage, MimePolicy policy, int partSizeBytes, ImageChecks images,
                  AssetViews views, CmsClient cms, Clock clock) {
    this.pool = pool;
    this.storage = storage;
    this.policy = policy;
    this.partSizeBytes = partSizeBytes;
    this.images = images;
    this.views = views;
    this.cms = cms;
    this.clock = clock;
  }

  /** The largest object of any kind: the limit while the kind is not known yet. */
  public long maxBytes() {
    return policy.maxAny();
  }

  /** A stream into a new object at {@code key}, checked against the type the client declared. */
  public S3UploadStream open(Context context, String key, String declaredMime) {
    return new S3UploadStream(context, storage, key, partSizeBytes, policy, declaredMime);
  }

  /**
   * Records an object the upload stream has stored: READY, with media.uploaded and media.ready. The content it is
   * for must exist (a 422 naming {@code contentId}, asked of the CMS as the caller) and an image must pass the
   * {@link ImageChecks}; the caller removes the object when this fails.
   */
  public Future<JsonObject> record(Caller caller, UUID id, UUID contentId, String contentType, String key,
                                   S3UploadStream.Result stored) {
    return cms.requireContent(caller, contentId, contentType)
      .compose(ok -> images.dimensions(stored.kind(), key, stored.prefix()))
      .compose(size -> {
        images.checkPixels(size);
        ImageChecks.requireDimensions(stored.kind(), size);
        OffsetDateTime now = Times.now(clock);
        Asset asset = new Asset(id, contentId, contentType, stored.kind(), storage.bucket(), key, stored.sizeBytes(),
          stored.mimeType(), stored.sha256(), size.map(Images.Size::width).orElse(null),
          size.map(Images.Size::height).orElse(null), null, AssetStatus.READY, null, null, null, null, 1, now, now);
        return pool.withTransaction(tx -> assets.insert(tx, asset)
            .compose(v -> AssetEvents.emit(tx, "media.uploaded", asset))
            .compose(v -> AssetEvents.emit(tx, "media.ready", asset)))
          .map(v -> views.view(asset, null));
      });
  }
}
