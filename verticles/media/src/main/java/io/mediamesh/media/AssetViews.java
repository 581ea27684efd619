package io.mediamesh.media;

import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.persistence.AssetRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Duration;
import java.util.Optional;

/** The public shape of an asset: its snapshot plus URLs (a CDN's when configured, otherwise presigned GETs). */
final class AssetViews {

  private final Pool pool;
  private final Storage storage;
  private final String cdnBaseUrl;
  private final Duration presignTtl;
  private final AssetRepository assets = new AssetRepository();

  AssetViews(Pool pool, Storage storage, String cdnBaseUrl, Duration presignTtl) {
    this.pool = pool;
    this.storage = storage;
    this.cdnBaseUrl = cdnBaseUrl;
    this.presignTtl = presignTtl;
  }

  /** The asset with its thumbnail's URL, when it has one. */
  Future<JsonObject> withThumbnail(Asset a) {
    return thumbnailOf(a).map(t -> view(a, t.orElse(null)));
  }

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
    if (!cdnBaseUrl.isEmpty()) {
      return cdnBaseUrl + "/" + key;
    }
    return mimeType == null ? storage.presignGet(key, presignTtl) : storage.presignGet(key, presignTtl, mimeType);
  }

  private Future<Optional<Asset>> thumbnailOf(Asset a) {
    return a.thumbnailId() == null ? Future.succeededFuture(Optional.empty())
      : assets.byId(pool, a.thumbnailId(), false);
  }
}
