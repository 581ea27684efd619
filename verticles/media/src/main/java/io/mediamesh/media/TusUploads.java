package io.mediamesh.media;

import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.db.Times;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.domain.Kind;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.domain.TusUpload;
import io.mediamesh.media.persistence.AssetRepository;
import io.mediamesh.media.persistence.TusRepository;
import io.mediamesh.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * tus 1.0 uploads ({@code TusRoute}): a PENDING asset and its upload's state in PostgreSQL (so it survives a restart
 * of the service), its bytes in storage under the asset's prefix: full parts of one multipart upload to the asset's
 * key, and the bytes after the last part in a temporary tail object. The request writing an upload holds its lease;
 * the upload ends as every upload does ({@link UploadCompletion}); the sweeper aborts what expired unfinished.
 */
public final class TusUploads {

  private static final Logger LOG = LoggerFactory.getLogger(TusUploads.class);
  /** How long a lease lasts unless renewed: a PATCH renews it at a third of that while it runs. */
  public static final Duration LEASE = Duration.ofSeconds(60);
  private static final int SWEEP_BATCH = 20;
  private static final String ORIGINAL = "original";

  private final Vertx vertx;
  private final Pool pool;
  private final Storage storage;
  private final MimePolicy policy;
  private final int partSize;
  private final Duration expiry;
  private final UploadCompletion completion;
  private final MultipartObjects objects;
  private final CmsClient cms;
  private final Clock clock;
  private final AssetRepository assets = new AssetRepository();
  private final TusRepository uploads = new TusRepository();
  private boolean sweeping;

  /** An upload held by one request: the lease's id, the upload as the holder last wrote it, and its asset. */
  public record Lease(UUID id, TusUpload upload, Asset asset) {
    Lease with(TusUpload next) {
      return new Lease(id, next, asset);
    }
  }

  TusUploads(Vertx vertx, Pool pool, Storage storage, MimePolicy policy, int partSize, Duration expiry,
             UploadCompletion completion, MultipartObjects objects, CmsClient cms, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.storage = storage;
    this.policy = policy;
    this.partSize = partSize;
    this.expiry = expiry;
    this.completion = completion;
    this.objects = objects;
    this.cms = cms;
    this.clock = clock;
  }

  /** The largest upload of any kind ({@code Tus-Max-Size}). */
  public long maxSize() {
    return policy.maxAny();
  }

  /**
   * Creates an upload of {@code q.uploadLength()} bytes of the declared type: 415 when the type is not accepted, 413
   * over its kind's size, 422 when the content does not exist (as every upload); {@code metadata} is the header as
   * sent, answered again on HEAD.
   */
  public Future<TusUpload> create(Caller caller, MediaApi.TusCreate q, String metadata) {
    Kind kind = policy.declaredKind(q.filetype(), "filetype");
    policy.checkSize(kind, q.uploadLength(), MediaApi.TusCreate.UPLOAD_LENGTH);
    UUID id = UUID.randomUUID();
    OffsetDateTime now = now();
    Asset pending = Asset.pending(id, q.contentId(), q.contentType(), kind, storage.bucket(), objectKey(id),
      MimePolicy.normalise(q.filetype()), q.uploadLength(), now);
    TusUpload upload = TusUpload.create(id, q.uploadLength(), metadata, partSize, caller.userId(), now, expiry);
    return cms.requireContent(caller, q.contentId(), q.contentType())
      .compose(ok -> pool.withTransaction(tx -> assets.insert(tx, pending).compose(v -> uploads.insert(tx, upload))))
      .map(upload);
  }

  /**
   * An upload's state for a HEAD: 404 when there is none (never was, terminated, expired). An upload whose bytes are
   * all stored but whose completion did not get through (storage or a service was unavailable) is completed now,
   * so an offset equal to the length always means the media is READY.
   */
  public Future<TusUpload> state(Caller caller, UUID id) {
    return uploads.byId(pool, id).compose(found -> {
      TusUpload u = live(found, now());
      if (!u.complete()) {
        return Future.succeededFuture(u);
      }
      return assets.byId(pool, id, false).compose(a -> a.isPresent() && a.get().status() == AssetStatus.READY
        ? Future.succeededFuture(u)
        : lease(id).compose(lease -> finish(caller, lease)).map(u));
    });
  }

  /** Takes the upload for one request: 404 when there is none, 423 while another request holds it. */
  public Future<Lease> lease(UUID id) {
    UUID leaseId = UUID.randomUUID();
    OffsetDateTime now = now();
    return uploads.lease(pool, id, leaseId, now, now.plus(LEASE)).compose(taken -> {
      if (taken.isEmpty()) {
        return uploads.byId(pool, id).map(found -> {
          live(found, now);
          throw new ServiceException(ErrorCode.LOCKED, "another request is writing this upload; try again when it "
            + "is done");
        });
      }
      Lease lease = new Lease(leaseId, taken.get(), null);
      if (taken.get().expired(now)) {
        return release(lease).transform(ar -> Future.failedFuture(gone()));
      }
      return assets.byId(pool, id, false).map(a -> new Lease(leaseId, taken.get(), a.orElseThrow(TusUploads::gone)));
    });
  }

  /** Extends a lease while its request runs; fails with 423 when another request took the upload over. */
  public Future<Void> renew(Lease lease) {
    return uploads.renew(pool, lease.upload().id(), lease.id(), now().plus(LEASE)).compose(held -> held
      ? Future.succeededFuture() : Future.failedFuture(lost()));
  }

  public Future<Void> release(Lease lease) {
    return uploads.release(pool, lease.upload().id(), lease.id());
  }

  /** The bytes after the last stored part (at most one part; none after a part boundary). */
  public Future<byte[]> tail(TusUpload u) {
    int length = u.tailBytes();
    if (length == 0) {
      return Future.succeededFuture(new byte[0]);
    }
    return stage(storage.prefix(AssetKeys.tusTailKey(u.id(), u.parts()), length)).map(bytes -> {
      if (bytes.length != length) {
        throw new IllegalStateException("tus upload " + u.id() + ": its tail has " + bytes.length + " bytes, its "
          + "state says " + length);
      }
      return bytes;
    });
  }

  /** The type of the upload's first bytes, which must agree with the type declared at creation (415 otherwise). */
  public String sniff(Lease lease, byte[] prefix) {
    return policy.check(prefix, lease.asset().declaredMime()).mime();
  }

  /**
   * Uploads part {@code number} ({@code length} bytes of {@code bytes}, handed over), first starting the multipart
   * upload of a stored type {@code mime} if the upload has none (recorded before any part goes, so it can always be
   * aborted); answers the lease with the part's ETag to keep.
   */
  public Future<Lease> uploadPart(Lease lease, String mime, int number, byte[] bytes, int length,
                                  List<String> etags) {
    TusUpload u = lease.upload();
    Future<Lease> started = u.storageUploadId() != null ? Future.succeededFuture(lease)
      : stage(storage.createMultipart(objectKey(u.id()), mime)).compose(uploadId ->
        uploads.recordStorageUpload(pool, u.id(), lease.id(), uploadId).compose(held -> held
          ? Future.succeededFuture(lease.with(u.withStorageUploadId(uploadId)))
          : stage(storage.abortMultipart(objectKey(u.id()), uploadId)).transform(ar -> Future.failedFuture(lost()))));
    return started.compose(held -> stage(storage.uploadPartOwned(objectKey(u.id()), held.upload().storageUploadId(),
      number, bytes, length)).map(part -> {
        etags.add(part.eTag());
        return held;
      }));
  }

  /**
   * Stores what a PATCH brought: the new tail first ({@code tailLength} bytes of {@code tail}, under its own key),
   * then the state in one write, if the lease is still held (else 423, nothing written). Releases the lease when
   * {@code release}. The tail replaced by a part is removed afterwards.
   */
  public Future<Lease> advance(Lease lease, List<String> etags, long offset, String mime, byte[] tail,
                               int tailLength, boolean release) {
    TusUpload before = lease.upload();
    TusUpload next = before.advanced(etags, offset, mime, now(), expiry);
    Future<Void> stored = next.complete() || tailLength == 0 ? Future.succeededFuture()
      : stage(storage.putOwned(AssetKeys.tusTailKey(next.id(), next.parts()), tail, tailLength,
      "application/octet-stream"));
    return stored.compose(v -> uploads.advance(pool, lease.id(), next, release)).compose(held -> {
      if (!held) {
        return Future.failedFuture(lost());
      }
      if (next.parts() > before.parts() && before.tailBytes() > 0) {
        stage(storage.delete(List.of(AssetKeys.tusTailKey(before.id(), before.parts()))))
          .onFailure(err -> LOG.warn("tus upload {}: an old tail stays until the upload ends: {}", before.id(),
            err.getMessage()));
      }
      return Future.succeededFuture(lease.with(next));
    });
  }

  /**
   * Completes an upload whose bytes are all stored in parts: the object is put together from them, hashed and
   * checked, and the asset READY ({@link UploadCompletion}); the tails go. Releases the lease. A refusal (the content
   * is gone, an image over the limits, a type that does not agree) aborts the upload; a failure of storage or of a
   * service keeps it, to complete on the next HEAD or PATCH.
   */
  public Future<JsonObject> finish(Caller caller, Lease lease) {
    TusUpload u = lease.upload();
    Asset pending = lease.asset();
    String key = pending.storageKey();
    return assets.byId(pool, u.id(), false).compose(current -> {
      if (current.isPresent() && current.get().status() == AssetStatus.READY) {
        return Future.succeededFuture(new JsonObject());
      }
      return objects.complete(key, u.storageUploadId(), u.partEtags(), u.length())
        .compose(v -> objects.facts(key, u.length(), pending.declaredMime()))
        .compose(stored -> completion.recordPending(caller, pending, stored))
        .compose(view -> stage(storage.deletePrefix(AssetKeys.tusTailPrefix(u.id()))).otherwiseEmpty().map(view));
    }).transform(ar -> {
      if (ar.succeeded()) {
        return release(lease).map(ar.result());
      }
      ServiceException refusal = ServiceException.from(ar.cause());
      if (refusal.code().isClientError()) {
        return abort(lease).transform(x -> Future.failedFuture(refusal));
      }
      LOG.warn("tus upload {}: completion failed, kept to try again: {}", u.id(), String.valueOf(ar.cause()));
      return release(lease).transform(x -> Future.failedFuture(new ServiceException(ErrorCode.UNAVAILABLE,
        "every byte is stored but the upload could not be completed now; HEAD it again to complete it")));
    });
  }

  /** Termination: 204 and nothing left of an unfinished upload; a finished one is media now (409). */
  public Future<Void> terminate(UUID id) {
    return lease(id).compose(lease -> assets.byId(pool, id, false).compose(a -> {
      if (a.isPresent() && a.get().status() == AssetStatus.READY) {
        return release(lease).transform(x -> Future.failedFuture(ServiceException.conflict("the upload is complete: "
          + "its media is deleted with DELETE /api/v1/media/" + id + " (ADMIN)")));
      }
      return abort(lease);
    }));
  }

  /**
   * Removes an unfinished upload: its multipart upload aborted, every object under its asset's prefix deleted (the
   * tails, an object completed from its parts), then its asset (and with it its state). A storage failure leaves the
   * rows, so it can be tried again (503).
   */
  public Future<Void> abort(Lease lease) {
    TusUpload u = lease.upload();
    return stage(storage.abortIfOpen(objectKey(u.id()), u.storageUploadId()))
      .compose(v -> stage(storage.deletePrefix(AssetKeys.keyFor(u.id(), ""))))
      .compose(v -> pool.withTransaction(tx -> assets.byId(tx, u.id(), true).compose(a ->
        a.isPresent() && a.get().status() == AssetStatus.PENDING
          ? assets.delete(tx, u.id()) : uploads.delete(tx, u.id()))))
      .recover(err -> {
        LOG.warn("tus upload {}: abort failed, to try again: {}", u.id(), String.valueOf(err));
        return release(lease).transform(x -> Future.failedFuture(new ServiceException(ErrorCode.UNAVAILABLE,
          "storage unavailable; try again")));
      });
  }

  /** Removes expired uploads nobody holds: an unfinished one is aborted, a finished one only forgotten. */
  public Future<Void> sweep() {
    if (sweeping) {
      return Future.succeededFuture();
    }
    sweeping = true;
    OffsetDateTime now = now();
    return uploads.expired(pool, now, SWEEP_BATCH).compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (UUID id : ids) {
        chain = chain.compose(v -> expire(id, now).otherwise(err -> {
          LOG.warn("expired tus upload {} not removed yet: {}", id, err.getMessage());
          return null;
        }));
      }
      return chain;
    }).eventually(() -> {
      sweeping = false;
      return Future.succeededFuture();
    });
  }

  private Future<Void> expire(UUID id, OffsetDateTime now) {
    UUID leaseId = UUID.randomUUID();
    return uploads.lease(pool, id, leaseId, now, now.plus(LEASE)).compose(taken -> {
      if (taken.isEmpty() || !taken.get().expired(now)) {
        // taken by a request since (whose PATCH moves the expiry), or gone
        return taken.isEmpty() ? Future.succeededFuture() : uploads.release(pool, id, leaseId);
      }
      Lease lease = new Lease(leaseId, taken.get(), null);
      return assets.byId(pool, id, false).compose(a -> {
        if (a.isPresent() && a.get().status() == AssetStatus.READY) {
          return uploads.delete(pool, id);
        }
        LOG.info("tus upload {} expired unfinished at {} bytes of {}: aborted", id, taken.get().offset(),
          taken.get().length());
        return abort(lease);
      });
    });
  }

  /** The upload, unless there is none or it expired: 404 (tus: an expired upload is gone). */
  private static TusUpload live(Optional<TusUpload> found, OffsetDateTime now) {
    if (found.isEmpty() || found.get().expired(now)) {
      throw gone();
    }
    return found.get();
  }

  private static ServiceException gone() {
    return ServiceException.notFound("upload (it may have expired or been terminated)");
  }

  private static ServiceException lost() {
    return new ServiceException(ErrorCode.LOCKED, "another request took this upload over; HEAD it, then go on");
  }

  private static String objectKey(UUID id) {
    return AssetKeys.keyFor(id, ORIGINAL);
  }

  private OffsetDateTime now() {
    return Times.now(clock);
  }

  private <T> Future<T> stage(CompletableFuture<T> stage) {
    return Stages.future(vertx, stage);
  }
}
