package io.mediamesh.media;

import io.mediamesh.storage.Storage;
import io.mediamesh.common.api.Limits;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.validation.Fields;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.domain.Kind;
import io.mediamesh.common.db.Times;
import io.mediamesh.media.persistence.AssetRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Thumbnails of READY images: scaled on a worker thread to fit the box asked for (aspect kept), stored as an asset
 * of their own (kind THUMBNAIL, child of the image) and linked to the image, with media.ready for both.
 */
final class Thumbnails {

  private final Vertx vertx;
  private final Pool pool;
  private final Storage storage;
  private final ImageChecks images;
  private final AssetViews views;
  /** The largest side asked for: {@code services.media.thumbnailMaxDimension}, at most the API's limit. */
  private final int maxDimension;
  private final Clock clock;
  private final AssetRepository assets = new AssetRepository();

  Thumbnails(Vertx vertx, Pool pool, Storage storage, ImageChecks images, AssetViews views, int maxDimension,
             Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.storage = storage;
    this.images = images;
    this.views = views;
    this.maxDimension = Math.min(maxDimension, Limits.THUMBNAIL_MAX);
    this.clock = clock;
  }

  /** Scales a READY image to fit {@code width x height} (aspect kept), stores it and links it to the asset. */
  Future<JsonObject> thumbnail(MediaApi.Thumbnail q) {
    requireWithinConfiguredMax(q);
    int width = q.width();
    int height = q.height();
    return assets.byId(pool, q.id(), false).compose(found -> {
      Asset a = found.filter(x -> x.status() != AssetStatus.DELETING)
        .orElseThrow(() -> ServiceException.notFound("media"));
      if (a.kind() != Kind.IMAGE || a.status() != AssetStatus.READY) {
        throw ServiceException.conflict("thumbnails are made of ready images; this is a " + a.status() + " "
          + a.kind());
      }
      if (a.width() != null && a.height() != null) {
        images.checkPixels(Optional.of(new Images.Size(a.width(), a.height()))); // stored before the limit existed
      }
      boolean png = a.mimeType().equals("image/png") || a.mimeType().equals("image/gif");
      return stage(storage.bytes(a.storageKey()))
        .compose(bytes -> vertx.executeBlocking(() -> {
          byte[] scaled = Images.thumbnail(bytes, width, height, png, images.maxPixels());
          return new Scaled(scaled, Images.size(scaled));
        }, false))
        .compose(scaled -> store(a, scaled, width, height, png));
    });
  }

  /** Stores the scaled bytes, then inserts the thumbnail and links it to its image in one transaction. */
  private Future<JsonObject> store(Asset a, Scaled scaled, int width, int height, boolean png) {
    byte[] thumb = scaled.bytes();
    Optional<Images.Size> size = scaled.size();
    UUID thumbId = UUID.randomUUID();
    String mime = png ? "image/png" : "image/jpeg";
    String key = AssetKeys.keyFor(thumbId, "thumbnail-" + width + "x" + height + (png ? ".png" : ".jpg"));
    OffsetDateTime now = Times.now(clock);
    Asset t = new Asset(thumbId, a.contentId(), a.contentType(), Kind.THUMBNAIL, storage.bucket(), key,
      (long) thumb.length, mime, sha256(thumb), size.map(Images.Size::width).orElse(null),
      size.map(Images.Size::height).orElse(null), null, AssetStatus.READY, a.id(), null, null, null, 1, now, now);
    return stage(storage.put(key, thumb, mime))
      .compose(v -> pool.withTransaction(tx -> assets.byId(tx, a.id(), true).compose(locked -> {
        Asset parent = locked.filter(x -> x.status() == AssetStatus.READY)
          .orElseThrow(() -> ServiceException.notFound("media"));
        Asset linked = new Asset(parent.id(), parent.contentId(), parent.contentType(), parent.kind(),
          parent.bucket(), parent.storageKey(), parent.sizeBytes(), parent.mimeType(), parent.sha256(),
          parent.width(), parent.height(), parent.durationSeconds(), parent.status(), null, thumbId,
          parent.declaredMime(), parent.declaredSize(), parent.version() + 1, parent.createdAt(), now);
        return assets.insert(tx, t).compose(x -> assets.save(tx, linked))
          .compose(x -> AssetEvents.emit(tx, "media.ready", t))
          .compose(x -> AssetEvents.emit(tx, "media.ready", linked)).map(linked);
      })).recover(err -> stage(storage.delete(List.of(key))).transform(x -> Future.failedFuture(err))))
      .map(linked -> views.view(linked, t));
  }

  /**
   * The request's sides are within the API's limit ({@link MediaApi.Thumbnail#from}); a deployment may hold them
   * lower. Refused as the API refuses, naming each side over it.
   */
  private void requireWithinConfiguredMax(MediaApi.Thumbnail q) {
    if (maxDimension < Limits.THUMBNAIL_MAX) {
      Fields f = Fields.of(q.toJson());
      f.requiredInteger("width", Limits.THUMBNAIL_MIN, maxDimension);
      f.requiredInteger("height", Limits.THUMBNAIL_MIN, maxDimension);
      f.validate();
    }
  }

  /** A thumbnail and its measured size, both computed on a worker thread. */
  private record Scaled(byte[] bytes, Optional<Images.Size> size) {
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(Storage.sha256Digest().digest(bytes));
  }

  private <T> Future<T> stage(CompletableFuture<T> stage) {
    return Stages.future(vertx, stage);
  }
}
