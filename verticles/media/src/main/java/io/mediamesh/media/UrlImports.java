package io.mediamesh.media;

import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.db.Times;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.domain.UrlImport;
import io.mediamesh.media.persistence.AssetRepository;
import io.mediamesh.media.persistence.ImportRepository;
import io.mediamesh.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * Imports from a URL, as the media service records them: a PENDING asset and its import, made once the content is
 * known to exist (as the caller), then downloaded in the background ({@code imports/ImportRunner}); and the asset's
 * side of the end: the object put together and checked as every upload is, against the SHA-256 the client gave, then
 * READY through the {@link UploadCompletion} (media.uploaded, so processing transcodes it), or FAILED with nothing left
 * in storage.
 */
public final class UrlImports {

  private static final String ORIGINAL = "original";

  private final Vertx vertx;
  private final Pool pool;
  private final Storage storage;
  private final MimePolicy policy;
  private final MultipartObjects objects;
  private final UploadCompletion completion;
  private final CmsClient cms;
  private final int partSize;
  private final Clock clock;
  private final AssetRepository assets = new AssetRepository();
  private final ImportRepository imports = new ImportRepository();

  UrlImports(Vertx vertx, Pool pool, Storage storage, MimePolicy policy, MultipartObjects objects,
             UploadCompletion completion, CmsClient cms, int partSize, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.storage = storage;
    this.policy = policy;
    this.objects = objects;
    this.completion = completion;
    this.cms = cms;
    this.partSize = partSize;
    this.clock = clock;
  }

  /**
   * A QUEUED import of {@code q.url()} into a new PENDING asset of the content (422 when it does not exist). The
   * asset's kind is the one the URL's file name suggests until the bytes are sniffed.
   */
  Future<JsonObject> create(Caller caller, MediaApi.ImportCreate q) {
    UUID mediaId = UUID.randomUUID();
    OffsetDateTime now = Times.now(clock);
    Asset pending = Asset.pending(mediaId, q.contentId(), q.contentType(), policy.kindByName(q.url().getPath()),
      storage.bucket(), objectKey(mediaId), null, null, now);
    UrlImport queued = UrlImport.queued(UUID.randomUUID(), mediaId, q.url().toString(), q.sha256(), caller.userId(),
      partSize, now);
    return cms.requireContent(caller, q.contentId(), q.contentType())
      .compose(ok -> pool.withTransaction(tx -> assets.insert(tx, pending).compose(v -> imports.insert(tx, queued))))
      .map(v -> queued.toJson());
  }

  Future<JsonObject> get(UUID id) {
    return imports.byId(pool, id).map(found -> found.orElseThrow(() -> ServiceException.notFound("import")).toJson());
  }

  /** Where an import's object is stored: the asset's key. */
  public static String objectKey(UUID mediaId) {
    return AssetKeys.keyFor(mediaId, ORIGINAL);
  }

  /** The size of the import's asset when an earlier attempt made it READY already (and its end was not recorded). */
  public Future<Optional<Long>> readySize(UrlImport i) {
    return assets.byId(pool, i.mediaId(), false)
      .map(a -> a.filter(found -> found.status() == AssetStatus.READY).map(Asset::sizeBytes));
  }

  /**
   * Ends a download whose every byte is stored in parts: the object is put together from them, sniffed and hashed
   * as stored, held to the SHA-256 the client gave (422 naming {@code sha256} otherwise), and the asset made READY
   * (an image checked first). Fails with a 4xx when the file is refused, which no retry changes.
   */
  public Future<Void> finish(UrlImport i) {
    String key = objectKey(i.mediaId());
    return assets.byId(pool, i.mediaId(), false).compose(found -> {
      Asset pending = found.orElseThrow(() -> ServiceException.notFound("media"));
      return objects.complete(key, i.storageUploadId(), i.partEtags(), i.bytes())
        .compose(v -> objects.facts(key, i.bytes(), null))
        .compose(stored -> {
          if (i.expectedSha256() != null && !i.expectedSha256().equals(stored.sha256())) {
            throw new ServiceException(ErrorCode.UNPROCESSABLE, "sha256: the file's is " + stored.sha256()
              + ", not the " + i.expectedSha256() + " asked for", new JsonObject().put("fields",
              new JsonObject().put("sha256", "does not match the file")));
          }
          return completion.recordImported(pending, stored);
        });
    }).mapEmpty();
  }

  /**
   * Removes whatever an import stored: its multipart upload (if one is still open) and every object under its
   * asset's prefix. Can be repeated.
   */
  public Future<Void> discard(UrlImport i) {
    return Stages.future(vertx, storage.abortIfOpen(objectKey(i.mediaId()), i.storageUploadId()))
      .compose(v -> Stages.future(vertx, storage.deletePrefix(AssetKeys.keyFor(i.mediaId(), ""))));
  }

  /** Marks the asset of a failed import FAILED (in the transaction that fails the import), if it is still PENDING. */
  public Future<Void> failAsset(SqlClient tx, UrlImport i) {
    return assets.byId(tx, i.mediaId(), true).compose(found -> found.isPresent()
      && found.get().status() == AssetStatus.PENDING
      ? assets.save(tx, found.get().with(AssetStatus.FAILED, Times.now(clock))) : Future.succeededFuture());
  }
}
