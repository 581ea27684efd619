package io.mediamesh.media;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.validation.Fields;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.domain.Kind;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.persistence.AssetRepository;
import io.mediamesh.media.upload.S3UploadStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Assets: recording streamed uploads, presigned direct uploads and their completion, URLs, thumbnails and
 * deletion. Rows and events change in one transaction; objects in storage are written before their row says
 * READY and removed before their row goes, so neither an orphan object nor a dangling row is left.
 */
public final class MediaService {

  private static final Logger LOG = LoggerFactory.getLogger(MediaService.class);
  static final String SOURCE = "media";

  private final Vertx vertx;
  private final io.mediamesh.common.api.CmsClient cms;
  private final Pool pool;
  private final Storage storage;
  private final MimePolicy policy;
  private final MediaConfig config;
  private final AssetRepository assets = new AssetRepository();

  public MediaService(Vertx vertx, Pool pool, Storage storage, MimePolicy policy, MediaConfig config,
                      io.mediamesh.common.api.CmsClient cms) {
    this.cms = cms;
    this.vertx = vertx;
    this.pool = pool;
    this.storage = storage;
    this.policy = policy;
    this.config = config;
  }

  public Storage storage() {
    return storage;
  }

  public MimePolicy policy() {
    return policy;
  }

  public MediaConfig config() {
    return config;
  }

  /** Where an asset's bytes go: derived from its id only, never from a client's file name. */
  public static String keyFor(UUID assetId, String suffix) {
    return "media/" + assetId + "/" + suffix;
  }

  /**
   * Where a direct upload's client writes: a staging key beside the asset's. What is there is checked, then copied
   * to the asset's own key on {@code complete}, so bytes written after that (the presigned PUT stays valid until it
   * expires) never reach what the asset's URL serves.
   */
  static String stagingKey(UUID assetId) {
    return keyFor(assetId, "staging");
  }

  /**
   * Asks the CMS, as the caller, whether the content an asset is for exists: a 422 naming {@code contentId} if not
   * (an asset of nothing would never be shown, and its objects never cleaned up with the content).
   */
  Future<Void> contentExists(io.mediamesh.common.bus.Caller caller, UUID contentId, String contentType) {
    return cms.requireContent(caller, contentId, contentType);
  }

  /** A key of its own for one completion's checked copy, beside the asset's other keys. */
  static String snapshotKey(Asset a) {
    String key = a.storageKey();
    int dot = key.lastIndexOf('.');
    String ext = dot > key.lastIndexOf('/') ? key.substring(dot) : "";
    return keyFor(a.id(), "original-" + UUID.randomUUID().toString().substring(0, 8) + ext);
  }

  /** An image whose size cannot be read from its header is not accepted: its pixel count would be unknown. */
  private static void requireDimensions(Kind kind, Optional<Images.Size> size) {
    if (kind == Kind.IMAGE && size.isEmpty()) {
      throw new ServiceException(ErrorCode.UNPROCESSABLE, "file: the image's size cannot be read from its header",
        new JsonObject().put("fields", new JsonObject().put("file", "size unreadable")));
    }
  }

  /** Refuses an image whose header announces more pixels than decoding should ever be asked for. */
  private void checkPixels(Optional<Images.Size> size) {
    if (size.isPresent() && (long) size.get().width() * size.get().height() > config.maxImagePixels()) {
      Images.Size d = size.get();
      throw new ServiceException(ErrorCode.UNPROCESSABLE, "file: an image of " + d.width() + "x" + d.height()
        + " pixels is over the limit of " + config.maxImagePixels() + " pixels",
        new JsonObject().put("fields", new JsonObject().put("file", "over " + config.maxImagePixels() + " pixels")));
    }
  }

  // ---- streamed uploads ---------------------------------------------------------------------------------------

  /** Records an object the upload stream has stored: READY, with media.uploaded and media.ready. */
  public Future<JsonObject> recordUpload(io.mediamesh.common.bus.Caller caller, UUID id, UUID contentId,
                                         String contentType, String key, S3UploadStream.Result stored) {
    return contentExists(caller, contentId, contentType)
      .compose(ok -> dimensions(stored.kind(), key, stored.prefix()))
      .compose(size -> {
        checkPixels(size);
        requireDimensions(stored.kind(), size);
        OffsetDateTime now = now();
        Asset asset = new Asset(id, contentId, contentType, stored.kind(), storage.bucket(), key, stored.sizeBytes(),
          stored.mimeType(), stored.sha256(), size.map(Images.Size::width).orElse(null),
          size.map(Images.Size::height).orElse(null), null, AssetStatus.READY, null, null, null, null, 1, now, now);
        return pool.withTransaction(tx -> assets.insert(tx, asset)
            .compose(v -> emit(tx, "media.uploaded", asset))
            .compose(v -> emit(tx, "media.ready", asset)))
          .map(v -> view(asset, null));
      });
  }

  // ---- presigned direct uploads -------------------------------------------------------------------------------

  public Future<JsonObject> createUpload(io.mediamesh.common.bus.Caller caller, JsonObject body) {
    Fields f = Fields.of(body);
    UUID contentId = f.uuid("contentId", true);
    String contentType = contentType(f);
    String mime = f.string("mimeType", true);
    if (mime != null && (mime.length() < io.mediamesh.common.api.Limits.MIME_TYPE_MIN
      || mime.length() > io.mediamesh.common.api.Limits.MIME_TYPE_MAX)) {
      f.problem("mimeType", "must be " + io.mediamesh.common.api.Limits.MIME_TYPE_MIN + " to "
        + io.mediamesh.common.api.Limits.MIME_TYPE_MAX + " characters");
      mime = null;
    }
    Long size = f.longValue("sizeBytes", null, 1, Long.MAX_VALUE);
    if (!f.has("sizeBytes")) {
      f.problem("sizeBytes", "is required");
    }
    Kind kind = mime == null ? null : policy.kindOf(mime).orElse(null);
    f.validate();
    if (kind == null) {
      throw new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "mimeType: " + mime + " is not accepted",
        new JsonObject().put("fields", new JsonObject().put("mimeType", "not accepted")));
    }
    if (size > policy.maxBytes(kind)) {
      throw new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, "sizeBytes: at most " + policy.maxBytes(kind)
        + " bytes for " + kind.name().toLowerCase(),
        new JsonObject().put("fields", new JsonObject().put("sizeBytes", "too large")));
    }
    String normalised = MimePolicy.normalise(mime);
    UUID id = UUID.randomUUID();
    String key = keyFor(id, "original" + MimePolicy.extension(normalised));
    OffsetDateTime now = now();
    Asset pending = new Asset(id, contentId, contentType, kind, storage.bucket(), key, null, null, null, null, null,
      null, AssetStatus.PENDING, null, null, normalised, size, 1, now, now);
    PresignedPutObjectRequest put = storage.presignPut(stagingKey(id), normalised, size, config.presignTtl());
    JsonObject headers = new JsonObject();
    put.signedHeaders().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        headers.put(name, String.join(",", values));
      }
    });
    return contentExists(caller, contentId, contentType)
      .compose(ok -> pool.withTransaction(tx -> assets.insert(tx, pending)))
      .map(v -> new JsonObject()
      .put("media", view(pending, null))
      .put("uploadUrl", put.url().toString())
      .put("uploadMethod", "PUT")
      .put("uploadHeaders", headers)
      .put("expiresAt", put.expiration().toString()));
  }

  /** Checks what arrived in storage (exists, declared size, sniffed type) and marks the asset READY. */
  public Future<JsonObject> complete(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return assets.byId(pool, id, false).compose(found -> {
      Asset a = found.orElseThrow(() -> ServiceException.notFound("media"));
      if (a.status() == AssetStatus.READY) {
        // completing twice changes nothing: the asset's bytes were copied from staging the first time; whatever was
        // written to staging since is thrown away
        return fromStage(storage.delete(List.of(stagingKey(id)))).otherwiseEmpty().map(v -> view(a, null));
      }
      if (a.status() != AssetStatus.PENDING) {
        throw ServiceException.conflict("media is " + a.status());
      }
      String staging = stagingKey(id);
      // the bytes are checked as a copy of their own that nobody else can write (the presigned PUT still can
      // write staging), and that copy becomes the asset's: what was checked is what is served, and of two
      // concurrent completes, each checks its own copy and the first to commit wins
      String snapshot = snapshotKey(a);
      return fromStage(storage.head(staging)).compose(head -> {
        if (head.isEmpty()) {
          throw ServiceException.conflict("nothing has been uploaded yet");
        }
        return fromStage(storage.copy(staging, snapshot, a.declaredMime()))
          .compose(copied -> fromStage(storage.head(snapshot)));
      }).compose(head -> {
        Asset checking = a.withStorageKey(snapshot);
        long size = head.map(h -> h.contentLength()).orElse(-1L);
        if (size != a.declaredSize()) {
          return fail(checking, new ServiceException(ErrorCode.UNPROCESSABLE, "sizeBytes: uploaded " + size
            + " bytes, declared " + a.declaredSize()));
        }
        return fromStage(storage.prefix(snapshot, MimePolicy.SNIFF_BYTES)).compose(prefix -> {
          String sniffed = MimePolicy.normalise(policy.sniff(prefix));
          if (!policy.agrees(a.declaredMime(), sniffed) || policy.kindOf(sniffed).isEmpty()) {
            return fail(checking, new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "file: declared as "
              + a.declaredMime() + " but the content is " + sniffed));
          }
          return fromStage(storage.sha256(snapshot)).compose(sha -> dimensions(a.kind(), snapshot, prefix)
            .compose(dims -> {
              try {
                checkPixels(dims);
                requireDimensions(a.kind(), dims);
              } catch (ServiceException e) {
                return fail(checking, e).map(x -> dims);
              }
              return fromStage(storage.delete(List.of(staging))).map(dims);
            })
            .compose(dims -> pool.withTransaction(tx -> assets.byId(tx, id, true).compose(locked -> {
              Asset current = locked.orElseThrow(() -> ServiceException.notFound("media"));
              if (current.status() == AssetStatus.READY) {
                // another complete won: its copy is the asset's, this one goes
                return fromStage(storage.delete(List.of(snapshot))).otherwiseEmpty().map(current);
              }
              Asset ready = new Asset(a.id(), a.contentId(), a.contentType(), a.kind(), a.bucket(), snapshot,
                size, sniffed, sha, dims.map(Images.Size::width).orElse(null),
                dims.map(Images.Size::height).orElse(null), null, AssetStatus.READY, null, null, a.declaredMime(),
                a.declaredSize(), current.version() + 1, a.createdAt(), now());
              return assets.save(tx, ready).compose(v -> emit(tx, "media.uploaded", ready))
                .compose(v -> emit(tx, "media.ready", ready)).map(ready);
            }))).map(ready -> view(ready, null)));
        });
      });
    });
  }

  /** Marks a presigned upload FAILED and removes what arrived, then fails with the reason. */
  private Future<JsonObject> fail(Asset a, ServiceException reason) {
    return fromStage(storage.delete(List.of(a.storageKey(), stagingKey(a.id()))))
      .compose(v -> pool.withTransaction(tx -> assets.save(tx, a.with(AssetStatus.FAILED, now()))))
      .transform(ar -> Future.failedFuture(reason));
  }

  // ---- reads --------------------------------------------------------------------------------------------------

  public Future<JsonObject> get(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return assets.byId(pool, id, false).compose(found -> {
      Asset a = found.filter(x -> x.status() != AssetStatus.DELETING)
        .orElseThrow(() -> ServiceException.notFound("media"));
      return thumbnailOf(a).map(t -> view(a, t.orElse(null)));
    });
  }

  public Future<JsonObject> byContent(JsonObject body) {
    Fields f = Fields.of(body);
    UUID contentId = f.uuid("contentId", true);
    f.validate();
    return assets.byContent(pool, contentId).compose(list -> {
      List<Future<JsonObject>> views = new ArrayList<>();
      for (Asset a : list) {
        views.add(thumbnailOf(a).map(t -> view(a, t.orElse(null))));
      }
      return Future.all(views).map(all -> new JsonObject().put("items", new JsonArray(all.list())));
    });
  }

  // ---- thumbnails ---------------------------------------------------------------------------------------------

  /** Scales a READY image to fit {@code width x height} (aspect kept), stores it and links it to the asset. */
  public Future<JsonObject> thumbnail(JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("id", true);
    int max = Math.min(config.thumbnailMaxDimension(), io.mediamesh.common.api.Limits.THUMBNAIL_MAX);
    Integer width = f.requiredInteger("width", io.mediamesh.common.api.Limits.THUMBNAIL_MIN, max);
    Integer height = f.requiredInteger("height", io.mediamesh.common.api.Limits.THUMBNAIL_MIN, max);
    f.validate();
    return assets.byId(pool, id, false).compose(found -> {
      Asset a = found.filter(x -> x.status() != AssetStatus.DELETING)
        .orElseThrow(() -> ServiceException.notFound("media"));
      if (a.kind() != Kind.IMAGE || a.status() != AssetStatus.READY) {
        throw ServiceException.conflict("thumbnails are made of ready images; this is a " + a.status() + " "
          + a.kind());
      }
      if (a.width() != null && a.height() != null) {
        checkPixels(Optional.of(new Images.Size(a.width(), a.height()))); // stored before the limit existed
      }
      boolean png = a.mimeType().equals("image/png") || a.mimeType().equals("image/gif");
      return fromStage(storage.bytes(a.storageKey()))
        .compose(bytes -> vertx.executeBlocking(() -> {
          byte[] scaled = Images.thumbnail(bytes, width, height, png, config.maxImagePixels());
          return new Scaled(scaled, Images.size(scaled));
        }, false))
        .compose(scaled -> {
          byte[] thumb = scaled.bytes();
          Optional<Images.Size> size = scaled.size();
          UUID thumbId = UUID.randomUUID();
          String mime = png ? "image/png" : "image/jpeg";
          String key = keyFor(thumbId, "thumbnail-" + width + "x" + height + (png ? ".png" : ".jpg"));
          OffsetDateTime now = now();
          Asset t = new Asset(thumbId, a.contentId(), a.contentType(), Kind.THUMBNAIL, storage.bucket(), key,
            (long) thumb.length, mime, sha256(thumb), size.map(Images.Size::width).orElse(null),
            size.map(Images.Size::height).orElse(null), null, AssetStatus.READY, a.id(), null, null, null, 1, now, now);
          return fromStage(storage.put(key, thumb, mime))
            .compose(v -> pool.withTransaction(tx -> assets.byId(tx, a.id(), true).compose(locked -> {
              Asset parent = locked.filter(x -> x.status() == AssetStatus.READY)
                .orElseThrow(() -> ServiceException.notFound("media"));
              Asset linked = new Asset(parent.id(), parent.contentId(), parent.contentType(), parent.kind(),
                parent.bucket(), parent.storageKey(), parent.sizeBytes(), parent.mimeType(), parent.sha256(),
                parent.width(), parent.height(), parent.durationSeconds(), parent.status(), null, thumbId,
                parent.declaredMime(), parent.declaredSize(), parent.version() + 1, parent.createdAt(), now);
              return assets.insert(tx, t).compose(x -> assets.save(tx, linked))
                .compose(x -> emit(tx, "media.ready", t)).compose(x -> emit(tx, "media.ready", linked)).map(linked);
            })).recover(err -> fromStage(storage.delete(List.of(key))).transform(x -> Future.failedFuture(err))))
            .map(linked -> view(linked, t));
        });
    });
  }

  /** A thumbnail and its measured size, both computed on a worker thread. */
  private record Scaled(byte[] bytes, Optional<Images.Size> size) {
  }

  // ---- deletion -----------------------------------------------------------------------------------------------

  /**
   * Deletes in two steps: mark DELETING (the asset disappears from reads), remove the objects, then remove the
   * rows with media.deleted. If storage fails the rows stay DELETING and the delete can be repeated (a sweeper
   * also retries), so nothing is left half-deleted for good.
   */
  public Future<JsonObject> delete(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return pool.withTransaction(tx -> assets.byId(tx, id, true).compose(found -> {
      Asset a = found.orElseThrow(() -> ServiceException.notFound("media"));
      if (a.parentId() != null) {
        throw ServiceException.conflict("delete the original; its thumbnails go with it");
      }
      return assets.children(tx, id, true).compose(children -> {
        Future<Void> mark = a.status() == AssetStatus.DELETING ? Future.succeededFuture()
          : assets.save(tx, a.with(AssetStatus.DELETING, now()));
        // everything under the asset's prefix: its bytes, a staging copy a client may have written again, a
        // completion's copy left by a crash; then each thumbnail's
        List<String> prefixes = new ArrayList<>();
        prefixes.add(keyFor(a.id(), ""));
        children.forEach(c -> prefixes.add(keyFor(c.id(), "")));
        return mark.map(prefixes);
      });
    })).compose(prefixes -> fromStage(CompletableFuture.allOf(prefixes.stream().map(storage::deletePrefix)
        .toArray(CompletableFuture[]::new)))
      .recover(err -> Future.failedFuture(new ServiceException(ErrorCode.UNAVAILABLE,
        "storage unavailable; the media is marked for deletion, try again"))))
      .compose(v -> pool.withTransaction(tx -> assets.byId(tx, id, true).compose(found -> {
        if (found.isEmpty()) {
          return Future.succeededFuture(); // another attempt finished first
        }
        Asset a = found.get();
        Asset gone = a.with(AssetStatus.DELETING, now());
        return assets.children(tx, id, false)
          .compose(children -> {
            Future<Void> chain = Future.succeededFuture();
            for (Asset c : children) {
              chain = chain.compose(x -> emit(tx, "media.deleted", c.with(AssetStatus.DELETING, gone.updatedAt())));
            }
            return chain;
          })
          .compose(x -> emit(tx, "media.deleted", gone))
          .compose(x -> assets.delete(tx, id));
      })))
      .map(v -> new JsonObject());
  }

  /** Retries deletions left half-done by a storage failure. */
  public Future<Void> sweepDeletions() {
    return assets.stuckDeletions(pool, 20).compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (UUID id : ids) {
        chain = chain.compose(v -> delete(new JsonObject().put("id", id.toString())).<Void>mapEmpty()
          .otherwise(err -> {
            LOG.warn("deletion of media {} still failing: {}", id, err.getMessage());
            return null;
          }));
      }
      return chain;
    });
  }

  // ---- views --------------------------------------------------------------------------------------------------

  /** The public shape: the snapshot plus URLs (CDN when configured, otherwise presigned GETs). */
  JsonObject view(Asset a, Asset thumbnail) {
    JsonObject json = a.toJson();
    json.remove("parentId");
    json.remove("thumbnailId");
    json.remove("version");
    json.put("url", a.status() == AssetStatus.READY ? url(a.storageKey(), a.mimeType()) : null);
    json.put("thumbnailUrl", thumbnail != null && thumbnail.status() == AssetStatus.READY
      ? url(thumbnail.storageKey(), thumbnail.mimeType()) : null);
    return json;
  }

  /** A CDN URL, or a presigned GET answered with the sniffed type whatever the stored object says. */
  private String url(String key, String mimeType) {
    if (!config.cdnBaseUrl().isEmpty()) {
      return config.cdnBaseUrl() + "/" + key;
    }
    return mimeType == null ? storage.presignGet(key, config.presignTtl())
      : storage.presignGet(key, config.presignTtl(), mimeType);
  }

  private Future<Optional<Asset>> thumbnailOf(Asset a) {
    return a.thumbnailId() == null ? Future.succeededFuture(Optional.empty())
      : assets.byId(pool, a.thumbnailId(), false);
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private Future<Optional<Images.Size>> dimensions(Kind kind, String key, byte[] prefix) {
    if (kind != Kind.IMAGE) {
      return Future.succeededFuture(Optional.empty());
    }
    return vertx.executeBlocking(() -> Images.size(prefix), false).compose(size -> size.isPresent()
      ? Future.succeededFuture(size)
      // headers such as a long EXIF block can push the size past the sniffed prefix: read a larger start
      : fromStage(storage.prefix(key, 512 * 1024)).compose(more -> vertx.executeBlocking(() -> Images.size(more),
        false)));
  }

  private static Future<Void> emit(SqlConnection tx, String type, Asset a) {
    return Outbox.append(tx, Topics.MEDIA, EventEnvelope.create(type, SOURCE, a.id().toString(), a.toJson()));
  }

  private <T> Future<T> fromStage(CompletableFuture<T> cf) {
    return Future.fromCompletionStage(cf, vertx.getOrCreateContext());
  }

  public static String contentType(Fields f) {
    String contentType = f.string("contentType", true);
    if (contentType != null && !contentType.equals("PROGRAM") && !contentType.equals("EPISODE")) {
      f.problem("contentType", "must be PROGRAM or EPISODE");
    }
    return contentType;
  }

  private static String sha256(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(Storage.sha256Digest().digest(bytes));
  }

  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
