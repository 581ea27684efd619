package io.mediamesh.ingest;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ingest service's settings (section {@code ingest}): what it may fetch and how much, how jobs are run and
 * retried, how often sources may be scheduled.
 *
 * @param allowedHosts host names or IP addresses that may be fetched although private, loopback or link-local
 *                     ({@code MEDIAMESH_INGEST_ALLOWED_HOSTS}, comma-separated)
 * @param leaseSeconds how long a RUNNING job's claim lasts without renewal: after that (its instance died) another
 *                     instance puts it back to PENDING
 */
public record IngestConfig(List<String> allowedHosts, long maxResponseBytes, long fetchTimeoutMs, int maxRedirects,
                           int maxItems, int maxAttempts, long initialBackoffMs, long maxBackoffMs,
                           long pollIntervalMs, long leaseSeconds, int concurrency, int minIntervalSeconds,
                           String defaultLanguage, String userAgent) {

  public static IngestConfig from(JsonObject root) {
    JsonObject o = root.getJsonObject("ingest");
    if (o == null) {
      throw new ConfigException("config section 'ingest' is missing");
    }
    IngestConfig c = new IngestConfig(hosts(o.getValue("allowedHosts")),
      o.getLong("maxResponseBytes", 10L * 1024 * 1024), o.getLong("fetchTimeoutMs", 20_000L),
      o.getInteger("maxRedirects", 5), o.getInteger("maxItems", 1000), o.getInteger("maxAttempts", 4),
      o.getLong("initialBackoffMs", 5_000L), o.getLong("maxBackoffMs", 600_000L),
      o.getLong("pollIntervalMs", 500L), o.getLong("leaseSeconds", 120L), o.getInteger("concurrency", 2),
      o.getInteger("minIntervalSeconds", 300), o.getString("defaultLanguage", "en"),
      o.getString("userAgent", "MediaMesh-Ingest/1.0"));
    if (c.maxResponseBytes < 1024 || c.fetchTimeoutMs < 100 || c.maxRedirects < 0 || c.maxRedirects > 20
      || c.maxItems < 1 || c.maxAttempts < 1 || c.initialBackoffMs < 0 || c.maxBackoffMs < c.initialBackoffMs
      || c.pollIntervalMs < 10 || c.leaseSeconds < 1 || c.concurrency < 1 || c.minIntervalSeconds < 1) {
      throw new ConfigException("config 'ingest' has a value out of range: " + c);
    }
    return c;
  }

  /** The delay before attempt {@code attempts + 1}: doubling from the initial backoff, capped. */
  public long backoffMs(int attempts) {
    double delay = initialBackoffMs * Math.pow(2, Math.max(0, attempts - 1));
    return (long) Math.min(delay, maxBackoffMs);
  }

  private static List<String> hosts(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof String s) {
      for (String part : s.split(",")) {
        add(out, part);
      }
    } else if (value instanceof JsonArray array) {
      array.forEach(v -> add(out, String.valueOf(v)));
    } else if (value != null) {
      throw new ConfigException("config 'ingest.allowedHosts' must be a comma-separated string or a list");
    }
    return List.copyOf(out);
  }

  private static void add(List<String> out, String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (!h.isEmpty()) {
      out.add(h);
    }
  }
}
