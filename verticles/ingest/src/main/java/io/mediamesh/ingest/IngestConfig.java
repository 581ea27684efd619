package io.mediamesh.ingest;

import io.mediamesh.common.config.ConfigException;
import io.mediamesh.common.net.FetchConfig;
import io.vertx.core.json.JsonObject;

import java.util.List;

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

  /** Where the allowlist is configured, named when a fetch is refused. */
  static final String ALLOWED_HOSTS_KEY = "ingest.allowedHosts";

  public static IngestConfig from(JsonObject root) {
    JsonObject o = root.getJsonObject("ingest");
    if (o == null) {
      throw new ConfigException("config section 'ingest' is missing");
    }
    IngestConfig c = new IngestConfig(FetchConfig.hosts(o.getValue("allowedHosts"), ALLOWED_HOSTS_KEY),
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

  /** What ingest's fetcher may fetch: the allowlist, and the bounds of every fetch. */
  public FetchConfig fetch() {
    return new FetchConfig(allowedHosts, ALLOWED_HOSTS_KEY, fetchTimeoutMs, maxRedirects, maxResponseBytes,
      userAgent);
  }

  /** The delay before attempt {@code attempts + 1}: doubling from the initial backoff, capped. */
  public long backoffMs(int attempts) {
    return io.mediamesh.common.runtime.Backoff.doubling(initialBackoffMs, maxBackoffMs, attempts);
  }
}
