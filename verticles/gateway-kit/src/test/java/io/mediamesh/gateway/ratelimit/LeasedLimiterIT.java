package io.mediamesh.gateway.ratelimit;

import io.mediamesh.testkit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leased limits against the real Redis, held to the bounds {@link LeasedLimiter}'s javadoc states: across all
 * instances a key never gets more than its limit per window (tokens are spent in Redis before they are used), and
 * a client spread over {@code k} instances is refused at most {@code k * (slice - 1)} requests early.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeasedLimiterIT {

  private final Vertx vertx = Vertx.vertx();
  private final String prefix = TestRedis.uniquePrefix("leased-it");
  private Redis redis;
  private RateLimiter limiter;

  @BeforeAll
  void start() {
    redis = TestRedis.client(vertx);
    limiter = new RateLimiter(redis, prefix, true, new SimpleMeterRegistry());
  }

  @AfterAll
  void stop() {
    TestRedis.release(vertx, redis, prefix);
  }

  /** Tokens GCRA gives back over {@code elapsedMs}: the only way past the limit, for exact and leased alike. */
  private static long refill(RateClass c, long elapsedMs) {
    return (long) Math.floor(elapsedMs / c.emissionIntervalMs());
  }

  @Test
  void threeInstancesTogetherStayWithinTheLimitAndAskRedisOncePerSlice() {
    // 200 per 120 s: slice 10, and a 600 ms interval, so little comes back during the burst (and it is counted)
    RateClass c = new RateClass("reads", 200, 120);
    String key = "ip:" + UUID.randomUUID();
    List<LeasedLimiter> instances = List.of(new LeasedLimiter(limiter, c), new LeasedLimiter(limiter, c),
      new LeasedLimiter(limiter, c));
    int k = instances.size();
    int slice = instances.get(0).slice();
    assertThat(slice).isEqualTo(10);

    int allowed = 0;
    int allowedLocally = 0;
    List<Decision> first = new ArrayList<>();
    long start = System.currentTimeMillis();
    // one client, its requests spread round-robin over the instances, each request decided as RatePolicies.reads does
    for (int i = 0; i < 2 * c.limit(); i++) {
      LeasedLimiter instance = instances.get(i % k);
      Decision d = instance.tryLocal(key, System.currentTimeMillis());
      boolean local = d != null;
      if (d == null) {
        d = Await.result(instance.acquire(key));
      }
      if (i == 0) {
        first.add(d);
      }
      if (d.allowed()) {
        allowed++;
        allowedLocally += local ? 1 : 0;
      }
    }
    long elapsed = System.currentTimeMillis() - start;
    long refill = refill(c, elapsed);

    assertThat(first.get(0).allowed()).isTrue();
    assertThat(first.get(0).remaining()).as("the first answer counts as an exact limiter's would")
      .isEqualTo(c.limit() - 1);
    // the javadoc's bound: never more than the limit (plus what the window gave back meanwhile) ...
    assertThat((long) allowed).as("allowed of %d requests in %d ms", 2 * c.limit(), elapsed)
      .isLessThanOrEqualTo(c.limit() + refill)
      // ... and refused at most k * (slice - 1) early
      .isGreaterThanOrEqualTo(c.limit() - (long) k * (slice - 1));
    // no Redis round trip per request: one per slice leased, plus exact single tokens once less than a slice is left
    int allowedViaRedis = allowed - allowedLocally;
    assertThat((long) allowedViaRedis).isLessThanOrEqualTo(allowed / slice + (slice - 1) + refill);
  }

  @Test
  void anExpiredLeaseLosesAtMostItsUnusedTokens() {
    // 200 per 600 s: a 3 s interval, so nothing comes back while the lease runs out
    RateClass c = new RateClass("search", 200, 600);
    String key = "ip:" + UUID.randomUUID();
    LeasedLimiter instance = new LeasedLimiter(limiter, c);
    int slice = instance.slice();
    long start = System.currentTimeMillis();
    Decision d = Await.result(instance.acquire(key));
    assertThat(d.allowed()).isTrue();
    assertThat(d.remaining()).isEqualTo(c.limit() - 1);

    Await.until("the lease to expire and be swept", Duration.ofSeconds(5), () -> {
      instance.sweep();
      return instance.size() == 0;
    });
    Decision again = Await.result(instance.acquire(key));
    long refill = refill(c, System.currentTimeMillis() - start);
    assertThat(again.allowed()).isTrue();
    // two requests used; the first lease's slice - 1 unused tokens are gone with it, and nothing more
    assertThat(again.remaining()).isEqualTo(c.limit() - 2 - (slice - 1) + refill);
  }
}
