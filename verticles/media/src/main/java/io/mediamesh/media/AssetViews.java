package io.mediamesh.media;

import io.mediamesh.storage.Storage;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.Kind;
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

  private final Playback playback;

  AssetViews(Pool pool, Storage storage, String cdnBaseUrl, Duration presignTtl, Playback playback) {
    this.pool = pool;
    this.playback = playback;
    this.storage = storage;
    this.cdnBaseUrl = cdnBaseUrl;
    this.presignTtl = presignTtl;
  }

  /** The asset with its thumbnail's URL, when it has one, and (video and audio) its playback. */
  Future<JsonObject> withThumbnail(Asset a) {
    Future<java.util.Map<java.util.UUID, JsonObject>> played = a.kind() == Kind.VIDEO || a.kind() == Kind.AUDIO
      ? playback.of(java.util.List.of(a.id())) : Future.succeededFuture(java.util.Map.of());
    return thumbnailOf(a).compose(t -> played.map(p -> view(a, t.orElse(null), p.get(a.id()))));
  }

  /** The asset as it is now, before any processing (a video or audio asset's playback is PENDING). */
  JsonObject view(Asset a, Asset thumbnail) {
    return view(a, thumbnail, null);
  }

  private JsonObject view(Asset a, Asset thumbnail, JsonObject storedPlayback) {
    JsonObject json = a.toJson();
    json.remove("parentId");
    json.remove("thumbnailId");
    json.remove("version");
    json.put("url", a.status() == AssetStatus.READY ? url(a.storageKey(), a.mimeType()) : null);
    json.put("thumbnailUrl", thumbnail != null && thumbnail.status() == AssetStatus.READY
      ? url(thumbnail.storageKey(), thumbnail.mimeType()) : null);
    JsonObject played = Playback.view(a.kind(), storedPlayback, this::url);
    if (played != null) {
      json.put("playback", played);
    }
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
