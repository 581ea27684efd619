package io.mediamesh.media;

import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.db.Times;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.persistence.AssetRepository;
import io.mediamesh.media.upload.S3UploadStream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * How every upload through the media service ends once its bytes are stored and their type and size checked, the
 * streamed one ({@code UploadRoute}), the resumable one ({@code TusRoute}) and imports from URLs ({@link UrlImports})
 * alike: the content it is for must exist (a 422 naming {@code contentId}, asked of the CMS as the caller), an image
 * must pass the {@link ImageChecks}, then the asset is READY, with media.uploaded and media.ready in the same
 * transaction. When this fails the caller removes what was stored.
 */
final class UploadCompletion {

  private final Pool pool;
  private final String bucket;
  private final ImageChecks images;
  private final AssetViews views;
  private final CmsClient cms;
  private final Clock clock;
  private final AssetRepository assets = new AssetRepository();

  UploadCompletion(Pool pool, String bucket, ImageChecks images, AssetViews views, CmsClient cms, Clock clock) {
    this.pool = pool;
    this.bucket = bucket;
    this.images = images;
    this.views = views;
    this.cms = cms;
    this.clock = clock;
  }

  /** Records a new asset for an object stored at {@code key} (the streamed upload records nothing before). */
  Future<JsonObject> recordNew(Caller caller, UUID id, UUID contentId, String contentType, String key,
                               S3UploadStream.Result stored) {
    return checked(caller, contentId, contentType, key, stored).compose(size -> {
      OffsetDateTime now = Times.now(clock);
      Asset ready = ready(new Asset(id, contentId, contentType, stored.kind(), bucket, key, null, null, null, null,
        null, null, AssetStatus.READY, null, null, null, null, 1, now, now), stored, size, 1, now);
      return pool.withTransaction(tx -> assets.insert(tx, ready).compose(v -> announce(tx, ready)))
        .map(v -> views.view(ready, null));
    });
  }

  /**
   * Makes a PENDING asset, whose object is now stored at its key, READY. Completing it twice is one completion:
   * the second answers the READY asset.
   */
  Future<JsonObject> recordPending(Caller caller, Asset pending, S3UploadStream.Result stored) {
    return cms.requireContent(caller, pending.contentId(), pending.contentType())
      .compose(ok -> makeReady(pending, stored));
  }

  /**
   * As {@link #recordPending}, for an import: its content was checked, as its caller, when the import was made (a
   * download may outlast anyone's token).
   */
  Future<JsonObject> recordImported(Asset pending, S3UploadStream.Result stored) {
    return makeReady(pending, stored);
  }

  private Future<JsonObject> makeReady(Asset pending, S3UploadStream.Result stored) {
    return inspected(pending.storageKey(), stored)
      .compose(size -> pool.withTransaction(tx -> assets.byId(tx, pending.id(), true).compose(locked -> {
        Asset current = locked.orElseThrow(() -> ServiceException.notFound("media"));
        if (current.status() == AssetStatus.READY) {
          return Future.succeededFuture(current);
        }
        if (current.status() != AssetStatus.PENDING) {
          throw ServiceException.conflict("media is " + current.status());
        }
        Asset ready = ready(current, stored, size, current.version() + 1, Times.now(clock));
        return assets.save(tx, ready).compose(v -> announce(tx, ready)).map(ready);
      })))
      .map(ready -> views.view(ready, null));
  }

  /** The checks after the bytes: the content exists, an image's header is readable and within the pixel limit. */
  private Future<Optional<Images.Size>> checked(Caller caller, UUID contentId, String contentType, String key,
                                                S3UploadStream.Result stored) {
    return cms.requireContent(caller, contentId, contentType).compose(ok -> inspected(key, stored));
  }

  /** An image's header is readable and within the pixel limit (its size, then); other kinds pass. */
  private Future<Optional<Images.Size>> inspected(String key, S3UploadStream.Result stored) {
    return images.dimensions(stored.kind(), key, stored.prefix())
      .map(size -> {
        images.checkPixels(size);
        ImageChecks.requireDimensions(stored.kind(), size);
        return size;
      });
  }

  private static Asset ready(Asset base, S3UploadStream.Result stored, Optional<Images.Size> size, int version,
                             OffsetDateTime now) {
    return new Asset(base.id(), base.contentId(), base.contentType(), stored.kind(), base.bucket(), base.storageKey(),
      stored.sizeBytes(), stored.mimeType(), stored.sha256(), size.map(Images.Size::width).orElse(null),
      size.map(Images.Size::height).orElse(null), null, AssetStatus.READY, base.parentId(), base.thumbnailId(),
      base.declaredMime(), base.declaredSize(), version, base.createdAt(), now);
  }

  private static Future<Void> announce(SqlConnection tx, Asset ready) {
    return AssetEvents.emit(tx, "media.uploaded", ready).compose(v -> AssetEvents.emit(tx, "media.ready", ready));
  }
}
