package io.mediamesh.media.domain;

import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A stored media object and what is known about it. */
public record Asset(UUID id, UUID contentId, String contentType, Kind kind, String bucket, String storageKey,
                    Long sizeBytes, String mimeType, String sha256, Integer width, Integer height,
                    Integer durationSeconds, AssetStatus status, UUID parentId, UUID thumbnailId, String declaredMime,
                    Long declaredSize, int version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  /**
   * An asset waiting for its bytes at {@code storageKey}: the type and size its client declared, if it did, are kept,
   * to check what arrives against them.
   */
  public static Asset pending(UUID id, UUID contentId, String contentType, Kind kind, String bucket, String storageKey,
                              String declaredMime, Long declaredSize, OffsetDateTime now) {
    return new Asset(id, contentId, contentType, kind, bucket, storageKey, null, null, null, null, null, null,
      AssetStatus.PENDING, null, null, declaredMime, declaredSize, 1, now, now);
  }

  /** The snapshot carried by events (no URLs: they expire or depend on the reader's CDN). */
  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("contentId", contentId.toString())
      .put("contentType", contentType)
      .put("kind", kind.name())
      .put("mimeType", mimeType)
      .put("sizeBytes", sizeBytes)
      .put("sha256", sha256)
      .put("width", width)
      .put("height", height)
      .put("durationSeconds", durationSeconds)
      .put("status", status.name())
      .put("storageKey", storageKey)
      .put("parentId", parentId == null ? null : parentId.toString())
      .put("thumbnailId", thumbnailId == null ? null : thumbnailId.toString())
      .put("version", version)
      .put("createdAt", createdAt.toInstant().toString());
  }

  /** The same asset with its bytes under another key (a completion's checked copy). */
  public Asset withStorageKey(String key) {
    return new Asset(id, contentId, contentType, kind, bucket, key, sizeBytes, mimeType, sha256, width, height,
      durationSeconds, status, parentId, thumbnailId, declaredMime, declaredSize, version, createdAt, updatedAt);
  }

  public Asset with(AssetStatus newStatus, OffsetDateTime at) {
    return new Asset(id, contentId, contentType, kind, bucket, storageKey, sizeBytes, mimeType, sha256, width, height,
      durationSeconds, newStatus, parentId, thumbnailId, declaredMime, declaredSize, version + 1, createdAt, at);
  }
}
