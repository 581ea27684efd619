package io.mediamesh.common.readmodel;

import io.vertx.core.json.JsonObject;

/**
 * Public URLs of stored media for read models. Read models answer from their own copies for a long time (and
 * through caches), so they can only hand out URLs that do not expire: CDN URLs under
 * {@code services.media.cdnBaseUrl}. Without a CDN they answer null and clients ask the media service, whose
 * presigned URLs are short-lived by design.
 */
public final class MediaUrls {

  private final String cdnBaseUrl;

  private MediaUrls(String cdnBaseUrl) {
    this.cdnBaseUrl = cdnBaseUrl.endsWith("/") ? cdnBaseUrl.substring(0, cdnBaseUrl.length() - 1) : cdnBaseUrl;
  }

  public static MediaUrls from(JsonObject platformRaw) {
    JsonObject media = platformRaw.getJsonObject("services", new JsonObject()).getJsonObject("media",
      new JsonObject());
    return new MediaUrls(media.getString("cdnBaseUrl", ""));
  }

  public String url(String storageKey) {
    return storageKey == null || cdnBaseUrl.isEmpty() ? null : cdnBaseUrl + "/" + storageKey;
  }
}
