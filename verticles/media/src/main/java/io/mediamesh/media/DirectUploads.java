package io.mediamesh.media;

import io.mediamesh.storage.Storage;
import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.domain.Kind;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.common.db.Times;
import io.mediamesh.media.persistence.AssetRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Presigned direct uploads: a PENDING asset and a URL for one PUT of exactly the declared type and length to a
 * staging key ({@code uploads.create}); then {@code complete} checks what arrived (exists, declared size, sniffed
 * type, image limits) on a copy nobody else can write, and makes that copy the asset's, READY.
 */
final class DirectUploads {

  private final Vertx vertx;
  private final Pool pool;
  private final Storage storage;
  private final MimePolicy policy;
  private final Duration presignTtl;
  private final ImageChecks images;
  private final AssetViews views;
  private final CmsClient cms;
  private final Clock clock;
  private final AssetRepository assets = new AssetRepository();

  DirectUploads(Vertx vertx, Pool pool, Storage storage, MimePolicy policy, Duration presignTtl, ImageChecks images,
                AssetViews views, CmsClient cms, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.storage = storage;
    this.policy = policy;
    this.presignTtl = presignTtl;
    this.images = images;
    this.views = views;
    this.cms = cms;
    this.clock = clock;
  }

  /**
   * A PENDING asset and its presigned PUT: 415 when the type is not accepted, 413 over its kind's size, 422 when the
   * content does not exist. The URL's expiry is the storage's to enforce, so it is signed on the real clock.
   */
  Future<JsonObject> create(Caller caller, MediaApi.UploadCreate q) {
    Kind kind = policy.declaredKind(q.mimeType(), "mimeType");
    policy.checkSize(kind, q.sizeBytes(), "sizeBytes");
    String normalised = MimePolicy.normalise(q.mimeType());
    UUID id = UUID.randomUUID();
    String key = AssetKeys.keyFor(id, "original" + MimePolicy.extension(normalised));
    Asset pending = Asset.pending(id, q.contentId(), q.contentType(), kind, storage.bucket(), key, normalised,
      q.sizeBytes(), Times.now(clock));
    PresignedPutObjectRequest put = storage.presignPut(AssetKeys.stagingKey(id), normalised, q.sizeBytes(),
      presignTtl);
    JsonObject headers = new JsonObject();
    put.signedHeaders().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        headers.put(name, String.join(",", values));
      }
    });
    return cms.requireContent(caller, q.contentId(), q.contentType())
      .compose(ok -> pool.withTransaction(tx -> assets.insert(tx, pending)))
      .map(v -> new JsonObject()
        .put("media", views.view(pending, null))
        .put("uploadUrl", put.url().toString())
        .put("uploadMethod", "PUT")
        .put("uploadHeaders", headers)
        .put("expiresAt", put.expiration().toString()));
  }

  /** Checks what arrived in storage (exists, declared size, sniffed type) and marks the asset READY. */
  Future<JsonObject> complete(UUID id) {
    return assets.byId(pool, id, false).compose(found -> {
      Asset a = found.orElseThrow(() -> ServiceException.notFound("media"));
      String staging = AssetKeys.stagingKey(id);
      if (a.status() == AssetStatus.READY) {
        // completing twice changes nothing: the asset's bytes were copied from staging the first time; whatever was
        // written to staging since is thrown away
        return stage(storage.delete(List.of(staging))).otherwiseEmpty().map(v -> views.view(a, null));
      }
      if (a.status() != AssetStatus.PENDING) {
        throw ServiceException.conflict("media is " + a.status());
      }
      // the bytes are checked as a copy of their own that nobody else can write (the presigned PUT still can
      // write staging), and that copy becomes the asset's: what was checked is what is served, and of two
      // concurrent completes, each checks its own copy and the first to commit wins
      String snapshot = AssetKeys.snapshotKey(a);
      return stage(storage.head(staging)).compose(head -> {
        if (head.isEmpty()) {
          throw ServiceException.conflict("nothing has been uploaded yet");
        }
        return stage(storage.copy(staging, snapshot, a.declaredMime()))
          .compose(copied -> stage(storage.head(snapshot)));
      }).compose(head -> {
        Asset checking = a.withStorageKey(snapshot);
        long size = head.map(h -> h.contentLength()).orElse(-1L);
        if (size != a.declaredSize()) {
          return fail(checking, new ServiceException(ErrorCode.UNPROCESSABLE, "sizeBytes: uploaded " + size
            + " bytes, declared " + a.declaredSize()));
        }
        return stage(storage.prefix(snapshot, MimePolicy.SNIFF_BYTES))
          .compose(prefix -> checkAndCommit(a, checking, snapshot, size, prefix));
      });
    });
  }

  /** The sniffed type and the image limits, then the copy becomes the asset's (unless another complete won). */
  private Future<JsonObject> checkAndCommit(Asset a, Asset checking, String snapshot, long size, byte[] prefix) {
    String sniffed;
    try {
      sniffed = policy.check(prefix, a.declaredMime()).mime();
    } catch (ServiceException refused) {
      return fail(checking, refused);
    }
    return stage(storage.sha256(snapshot)).compose(sha -> images.dimensions(a.kind(), snapshot, prefix)
      .compose(dims -> {
        try {
          images.checkPixels(dims);
          ImageChecks.requireDimensions(a.kind(), dims);
        } catch (ServiceException e) {
          return fail(checking, e).map(x -> dims);
        }
        return stage(storage.delete(List.of(AssetKeys.stagingKey(a.id())))).map(dims);
      })
      .compose(dims -> pool.withTransaction(tx -> assets.byId(tx, a.id(), true).compose(locked -> {
        Asset current = locked.orElseThrow(() -> ServiceException.notFound("media"));
        if (current.status() == AssetStatus.READY) {
          // another complete won: its copy is the asset's, this one goes
          return stage(storage.delete(List.of(snapshot))).otherwiseEmpty().map(current);
        }
        Asset ready = new Asset(a.id(), a.contentId(), a.contentType(), a.kind(), a.bucket(), snapshot,
          size, sniffed, sha, dims.map(Images.Size::width).orElse(null),
          dims.map(Images.Size::height).orElse(null), null, AssetStatus.READY, null, null, a.declaredMime(),
          a.declaredSize(), current.version() + 1, a.createdAt(), Times.now(clock));
        return assets.save(tx, ready).compose(v -> AssetEvents.emit(tx, "media.uploaded", ready))
          .compose(v -> AssetEvents.emit(tx, "media.ready", ready)).map(ready);
      }))).map(ready -> views.view(ready, null)));
  }

  /** Marks a presigned upload FAILED and removes what arrived, then fails with the reason. */
  private Future<JsonObject> fail(Asset a, ServiceException reason) {
    return stage(storage.delete(List.of(a.storageKey(), AssetKeys.stagingKey(a.id()))))
      .compose(v -> pool.withTransaction(tx -> assets.save(tx, a.with(AssetStatus.FAILED, Times.now(clock)))))
      .transform(ar -> Future.failedFuture(reason));
  }

  private <T> Future<T> stage(CompletableFuture<T> stage) {
    return Stages.future(vertx, stage);
  }
}
