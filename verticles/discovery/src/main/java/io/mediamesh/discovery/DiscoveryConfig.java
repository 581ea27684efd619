package io.mediamesh.discovery;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;

/**
 * The discovery service's settings ({@code services.discovery.*}), read once.
 *
 * @param detailTtlMs how long a cached program or episode is kept ({@code detailTtlSeconds}, 300)
 * @param listTtlMs how long a cached list is kept ({@code listTtlSeconds}, 60)
 * @param viewDedupeWindowSeconds a viewer counts once per content per this window (1800)
 * @param trendingHalfLifeSeconds the half-life of a view in trending (21,600: six hours)
 * @param goneTtlSeconds how long the tombstone of content taken down is kept (604,800: seven days)
 */
public record DiscoveryConfig(long detailTtlMs, long listTtlMs, long viewDedupeWindowSeconds,
                              long trendingHalfLifeSeconds, long goneTtlSeconds) {

  public static DiscoveryConfig from(JsonObject raw) {
    return new DiscoveryConfig(positive(raw, "detailTtlSeconds", 300L) * 1000,
      positive(raw, "listTtlSeconds", 60L) * 1000, positive(raw, "viewDedupeWindowSeconds", 1800L),
      positive(raw, "trendingHalfLifeSeconds", 21_600L), positive(raw, "goneTtlSeconds", 604_800L));
  }

  private static long positive(JsonObject raw, String key, long fallback) {
    long value = raw.getLong(key, fallback);
    if (value < 1) {
      throw new ConfigException("services.discovery." + key + " must be at least 1, was " + value);
    }
    return value;
  }
}
