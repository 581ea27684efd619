package io.mediamesh.playback;

import io.mediamesh.common.api.PlaybackApi.ContentAccess;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The playback service's settings ({@code services.playback.*}), read once.
 *
 * @param heartbeatSeconds   how often a player reports; a session that misses two is gone (its stream slot freed)
 * @param rentalStartWindow  how long after the order a rental may be started (30 days)
 * @param rentalLength       how long a rental lasts from its first play (48 hours)
 * @param streamTokenTtl     how long a session's stream URL is valid (a session outliving it plays again)
 * @param streamBaseUrl      prefix of manifest URLs (the discovery gateway's public address or a CDN's); empty:
 *                           URLs relative to the gateway ({@code /stream/...})
 * @param defaultCurrency    the currency of prices that name none
 * @param defaultAccess      the access of content without a rule of its own or its program's
 * @param defaultMaxStreams  concurrent streams of an account without a subscription (free, bought, rented)
 * @param progressEventEvery how often a session's position is published as {@code playback.progress}
 * @param finishedRatio      the share of a programme after which it counts as watched (leaves continue watching)
 * @param sweepIntervalMs    how often silent sessions are ended and expired rentals announced
 *                           ({@code sweepIntervalMs}, 15 s)
 * @param contentCacheMs     how long a content's item and access rule are used without reading them again
 *                           ({@code contentCacheMs}, 2 s; a change of either is announced and forgotten at once)
 */
public record PlaybackConfig(int heartbeatSeconds, Duration rentalStartWindow, Duration rentalLength,
                             Duration streamTokenTtl, String streamBaseUrl, String defaultCurrency,
                             ContentAccess defaultAccess, int defaultMaxStreams, Duration progressEventEvery,
                             double finishedRatio, long sweepIntervalMs, long contentCacheMs) {

  public static PlaybackConfig from(JsonObject raw) {
    ContentAccess access;
    try {
      access = ContentAccess.fromJson(raw.getJsonObject("defaultAccess",
        new JsonObject().put("type", "SUBSCRIPTION").put("packages", new io.vertx.core.json.JsonArray())));
    } catch (ServiceException e) {
      throw new ConfigException("services.playback.defaultAccess is not an access: " + e.getMessage());
    }
    String currency = raw.getString("defaultCurrency", "USD");
    PlaybackConfig c = new PlaybackConfig(raw.getInteger("heartbeatSeconds", 30),
      Duration.ofDays(raw.getInteger("rentalStartDays", 30)), Duration.ofHours(raw.getInteger("rentalHours", 48)),
      Duration.ofSeconds(raw.getInteger("streamTokenSeconds", 21_600)),
      raw.getString("streamBaseUrl", "").replaceAll("/+$", ""), currency, access.withCurrency(currency),
      raw.getInteger("defaultMaxStreams", 2), Duration.ofSeconds(raw.getInteger("progressEventSeconds", 60)),
      raw.getDouble("finishedRatio", 0.95), raw.getLong("sweepIntervalMs", 15_000L),
      raw.getLong("contentCacheMs", 2_000L));
    if (c.heartbeatSeconds < 1 || c.rentalStartWindow.isNegative() || c.rentalStartWindow.isZero()
      || c.rentalLength.toHours() < 1 || c.streamTokenTtl.toSeconds() < 60 || c.defaultMaxStreams < 1
      || c.progressEventEvery.isNegative() || c.finishedRatio <= 0 || c.finishedRatio > 1 || c.sweepIntervalMs < 10
      || c.contentCacheMs < 0
      || !currency.matches("[A-Z]{3}")) {
      throw new ConfigException("config 'services.playback' has a value out of range: " + c);
    }
    return c;
  }

  /** A session is counted while its last heartbeat is younger than two intervals. */
  public long sessionTtlMs() {
    return 2_000L * heartbeatSeconds;
  }
}
