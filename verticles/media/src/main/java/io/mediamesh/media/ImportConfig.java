package io.mediamesh.media;

import io.mediamesh.common.config.ConfigException;
import io.mediamesh.common.net.FetchConfig;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * How the media service imports files from URLs ({@code services.media.import*}), read once.
 *
 * @param allowedHosts    {@code importAllowedHosts}: private, loopback or link-local hosts or addresses that may be
 *                        fetched anyway (empty: none; {@code MEDIAMESH_SERVICES_MEDIA_IMPORT_ALLOWED_HOSTS},
 *                        comma-separated)
 * @param timeout         {@code importTimeoutMs}: the source must answer within it, and may not stay silent longer
 *                        mid-body (30 s)
 * @param maxRedirects    {@code importMaxRedirects}: redirects followed, each checked like the URL (5)
 * @param maxAttempts     {@code importMaxAttempts}: attempts of an import whose failures may pass (broken
 *                        connections, 5xx, storage unavailable) before it fails (5)
 * @param initialBackoff  {@code importInitialBackoffMs}: the wait before the second attempt, doubling after (2 s)
 * @param maxBackoff      {@code importMaxBackoffMs}: the longest wait between attempts (5 min)
 * @param lease           {@code importLeaseSeconds}: how long a download's claim lasts unless renewed; then (its
 *                        instance died) another instance takes it up where the stored parts end (60 s)
 * @param concurrency     {@code importConcurrency}: downloads an instance runs at once (2)
 * @param pollInterval    {@code importPollIntervalMs}: how often an instance looks for due imports besides when one
 *                        is created there (1 s)
 */
public record ImportConfig(List<String> allowedHosts, Duration timeout, int maxRedirects, int maxAttempts,
                           Duration initialBackoff, Duration maxBackoff, Duration lease, int concurrency,
                           Duration pollInterval) {

  static final String ALLOWED_HOSTS_KEY = "services.media.importAllowedHosts";
  private static final String USER_AGENT = "MediaMesh-Media/1.0";

  static ImportConfig from(JsonObject raw) {
    ImportConfig c = new ImportConfig(FetchConfig.hosts(raw.getValue("importAllowedHosts"), ALLOWED_HOSTS_KEY),
      Duration.ofMillis(raw.getLong("importTimeoutMs", 30_000L)), raw.getInteger("importMaxRedirects", 5),
      raw.getInteger("importMaxAttempts", 5), Duration.ofMillis(raw.getLong("importInitialBackoffMs", 2_000L)),
      Duration.ofMillis(raw.getLong("importMaxBackoffMs", 300_000L)),
      Duration.ofSeconds(raw.getLong("importLeaseSeconds", 60L)), raw.getInteger("importConcurrency", 2),
      Duration.ofMillis(raw.getLong("importPollIntervalMs", 1_000L)));
    if (c.timeout.toMillis() < 100 || c.maxRedirects < 0 || c.maxRedirects > 20 || c.maxAttempts < 1
      || c.initialBackoff.isNegative() || c.maxBackoff.compareTo(c.initialBackoff) < 0 || c.lease.toSeconds() < 1
      || c.concurrency < 1 || c.pollInterval.toMillis() < 10) {
      throw new ConfigException("services.media: an import setting is out of range: " + c);
    }
    return c;
  }

  /** What the import fetcher may fetch; {@code maxBytes}: the largest file of any kind. */
  FetchConfig fetch(long maxBytes) {
    return new FetchConfig(allowedHosts, ALLOWED_HOSTS_KEY, timeout.toMillis(), maxRedirects, maxBytes, USER_AGENT);
  }

  /** The wait before attempt {@code attempts + 1}: doubling from the initial backoff, capped. */
  public Duration backoff(int attempts) {
    return Duration.ofMillis(io.mediamesh.common.runtime.Backoff.doubling(initialBackoff.toMillis(),
      maxBackoff.toMillis(), attempts));
  }
}
