package io.mediamesh.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Exact rate limits in Redis: every decision is one {@code EVALSHA} of a GCRA script (generic cell rate algorithm),
 * so checking and spending happen atomically in Redis, with Redis's clock, for every gateway instance at once.
 * <p>
 * GCRA keeps one number per key, the theoretical arrival time (TAT) of the next request: a request costing
 * {@code n} moves it {@code n} emission intervals on; it is refused when the new TAT would be more than a whole
 * window ahead of now. That allows a burst of the full limit, then one request per interval, with no reset edge
 * at which twice the limit gets through (as fixed windows allow). The key expires when it has fully recovered.
 * <p>
 * When Redis cannot answer, the decision is the configured fail-open (allow) or fail-closed (refuse with 503-style
 * retry), marked {@code degraded} and counted in {@code mediamesh_gateway_ratelimit_redis_failures_total}.
 */
public final class RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

  /** KEYS[1] = key; ARGV = emission interval ms, limit, cost. Returns {allowed, remaining, resetMs, retryMs}. */
  static final String GCRA = """
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local interval = tonumber(ARGV[1])
    local limit = tonumber(ARGV[2])
    local cost = tonumber(ARGV[3])
    local window = interval * limit
    local tat = tonumber(redis.call('GET', KEYS[1]) or now)
    if tat < now then tat = now end
    local newTat = tat + interval * cost
    local allowAt = newTat - window
    if allowAt > now then
      local remaining = math.floor((now + window - tat) / interval)
      return {0, remaining, math.ceil(tat - now), math.ceil(allowAt - now)}
    end
    redis.call('SET', KEYS[1], newTat, 'PX', math.max(1, math.ceil(newTat - now)))
    return {1, math.floor((now + window - newTat) / interval), math.ceil(newTat - now), 0}
    """;

  private final Redis redis;
  private final String prefix;
  private final boolean failOpen;
  private final String sha;
  private final Counter redisFailures;

  public RateLimiter(Redis redis, String prefix, boolean failOpen, MeterRegistry registry) {
    this.redis = redis;
    this.prefix = prefix;
    this.failOpen = failOpen;
    this.sha = sha1(GCRA);
    this.redisFailures = Counter.builder("mediamesh_gateway_ratelimit_redis_failures")
      .description("rate-limit decisions Redis could not make (answered fail-open or fail-closed)")
      .tag("gateway", prefix).tag("mode", failOpen ? "open" : "closed").register(registry);
  }

  /** Spends {@code cost} of {@code key}'s quota in class {@code rateClass} of this gateway, or refuses. */
  public Future<Decision> acquire(RateClass rateClass, String key, int cost) {
    return acquireKey(rateClass, "rl:" + prefix + ":" + rateClass.name() + ":" + key, cost);
  }

  /**
   * As {@link #acquire}, in a quota every gateway shares: for limits that protect one service behind several
   * gateways (an account's logins must not get one quota per gateway).
   */
  public Future<Decision> acquireShared(RateClass rateClass, String key, int cost) {
    return acquireKey(rateClass, "rl:shared:" + rateClass.name() + ":" + key, cost);
  }

  private Future<Decision> acquireKey(RateClass rateClass, String redisKey, int cost) {
    String interval = intervalArg(rateClass);
    return redis.send(Request.cmd(Command.EVALSHA).arg(sha).arg(1).arg(redisKey).arg(interval)
        .arg(rateClass.limit()).arg(cost))
      .recover(err -> err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")
        ? redis.send(Request.cmd(Command.EVAL).arg(GCRA).arg(1).arg(redisKey).arg(interval)
          .arg(rateClass.limit()).arg(cost))
        : Future.failedFuture(err))
      .map(r -> decision(rateClass, r))
      .recover(err -> {
        redisFailures.increment();
        LOG.warn("rate limit {} undecided (Redis: {}); failing {}", rateClass.name(), err.getMessage(),
          failOpen ? "open" : "closed");
        return Future.succeededFuture(new Decision(rateClass, failOpen, failOpen ? rateClass.limit() : 0,
          rateClass.windowSeconds(), failOpen ? 0 : 1, true));
      });
  }

  /**
   * The emission interval as the script gets it, rounded to a multiple of 2^-10 ms. The script adds intervals to
   * epoch milliseconds (about 2^41), where a double keeps about 12 bits after the point: an interval such as
   * 1000/6 ms was rounded on every addition, so a burst of exactly the limit could lose its last request and
   * {@code remaining} came out one short. On this grid every sum is exact (up to 2^43 ms, the year 2248), and the
   * window moves by at most {@code limit / 2048} ms. Intervals of whole milliseconds are unchanged.
   */
  static String intervalArg(RateClass c) {
    return String.valueOf(Math.max(1, Math.round(c.emissionIntervalMs() * 1024)) / 1024.0);
  }

  private static Decision decision(RateClass c, Response r) {
    return decision(c, r.get(0).toInteger() == 1, r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong());
  }

  /**
   * The script's answer as a decision: milliseconds rounded up to whole seconds (the fields carry seconds), a
   * refusal never says to retry in 0 s, and {@code remaining} is kept within {@code [0, limit]}.
   */
  static Decision decision(RateClass c, boolean allowed, long remaining, long resetMs, long retryMs) {
    long resetSeconds = ceilSeconds(resetMs);
    long retrySeconds = allowed ? 0 : Math.max(1, ceilSeconds(retryMs));
    return new Decision(c, allowed, Math.min(Math.max(0, remaining), c.limit()), resetSeconds, retrySeconds, false);
  }

  private static long ceilSeconds(long ms) {
    return (ms + 999) / 1000;
  }

  static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
