package io.mediamesh.media;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The media service's settings ({@code services.media.*}), read once.
 *
 * @param cdnBaseUrl            where URLs point when a CDN serves the bucket (no trailing slash); empty: presigned GETs
 * @param presignTtl            how long presigned URLs (GET and the direct upload's PUT) stay valid (900 s)
 * @param maxImageBytes         the largest image (20 MiB)
 * @param maxAudioBytes         the largest audio file (500 MiB)
 * @param maxVideoBytes         the largest video (5 GiB)
 * @param partSizeBytes         the part size of multipart uploads to storage (8 MiB; S3 needs at least 5 MiB)
 * @param thumbnailMaxDimension the largest side of a thumbnail (2048, also the API's limit)
 * @param maxImagePixels        the most pixels an image's header may announce (40 million)
 * @param tusExpiry             how long a tus upload lives after its creation or last PATCH (86400 s): then an
 *                              unfinished one is aborted
 * @param sweepInterval         how often the sweepers run: deletions left half-done, expired tus uploads (30 s)
 * @param imports               imports from URLs ({@code import*})
 */
public record MediaConfig(String cdnBaseUrl, Duration presignTtl, long maxImageBytes, long maxAudioBytes,
                          long maxVideoBytes, int partSizeBytes, int thumbnailMaxDimension, long maxImagePixels,
                          Duration tusExpiry, Duration sweepInterval, ImportConfig imports) {

  public static MediaConfig from(JsonObject raw) {
    String cdn = raw.getString("cdnBaseUrl", "");
    int part = raw.getInteger("partSizeBytes", 8 * 1024 * 1024);
    if (part < 5 * 1024 * 1024) {
      throw new ConfigException("services.media.partSizeBytes must be at least 5 MiB (S3)");
    }
    long expiry = raw.getLong("tusExpirySeconds", 86_400L);
    long sweep = raw.getLong("sweepIntervalMs", 30_000L);
    if (expiry < 60 || sweep < 10) {
      throw new ConfigException("services.media.tusExpirySeconds must be at least 60 and sweepIntervalMs at least 10");
    }
    return new MediaConfig(cdn.endsWith("/") ? cdn.substring(0, cdn.length() - 1) : cdn,
      Duration.ofSeconds(raw.getInteger("presignTtlSeconds", 900)), raw.getLong("maxImageBytes", 20L << 20),
      raw.getLong("maxAudioBytes", 500L << 20), raw.getLong("maxVideoBytes", 5L << 30), part,
      raw.getInteger("thumbnailMaxDimension", 2048), raw.getLong("maxImagePixels", 40_000_000L),
      Duration.ofSeconds(expiry), Duration.ofMillis(sweep), ImportConfig.from(raw));
  }
}
