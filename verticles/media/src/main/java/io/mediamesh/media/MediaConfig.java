package io.mediamesh.media;

import io.mediamesh.common.config.ServiceConfig;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** Settings under {@code services.media}. */
public record MediaConfig(String cdnBaseUrl, Duration presignTtl, long maxImageBytes, long maxAudioBytes,
                          long maxVideoBytes, int partSizeBytes, int thumbnailMaxDimension, long maxImagePixels) {

  public static MediaConfig from(ServiceConfig service) {
    JsonObject o = service.raw();
    String cdn = o.getString("cdnBaseUrl", "");
    int part = o.getInteger("partSizeBytes", 8 * 1024 * 1024);
    if (part < 5 * 1024 * 1024) {
      throw new io.mediamesh.common.config.ConfigException("services.media.partSizeBytes must be at least 5 MiB (S3)");
    }
    return new MediaConfig(cdn.endsWith("/") ? cdn.substring(0, cdn.length() - 1) : cdn,
      Duration.ofSeconds(o.getInteger("presignTtlSeconds", 900)), o.getLong("maxImageBytes", 20L << 20),
      o.getLong("maxAudioBytes", 500L << 20), o.getLong("maxVideoBytes", 5L << 30), part,
      o.getInteger("thumbnailMaxDimension", 2048), o.getLong("maxImagePixels", 40_000_000L));
  }
}
