package io.mediamesh.gateway.ratelimit;

import io.mediamesh.testkit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GCRA script against the real Redis: a burst of exactly the limit, a refusal with a positive wait, one more
 * request per emission interval after that, costs of more than one, and the fail-open/closed answers when Redis
 * cannot be reached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimiterIT {

  private final Vertx vertx = Vertx.vertx();
  private final String prefix = TestRedis.uniquePrefix("rl-it");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Redis redis;
  private RateLimiter limiter;

  @BeforeAll
  void start() {
    redis = TestRedis.client(vertx);
    limiter = new RateLimiter(redis, prefix, true, registry);
  }

  @AfterAll
  void stop() {
    TestRedis.release(vertx, redis, prefix);
  }

  private Decision acquire(RateClass c, String key, int cost) {
    return Await.result(limiter.acquire(c, key, cost));
  }

  private static long ceilSeconds(long ms) {
    return (ms + 999) / 1000;
  }

  private static String key() {
    return "k-" + UUID.randomUUID();
  }

  @Test
  void exactlyTheLimitIsAllowedThenOneMorePerEmissionInterval() {
    // 5 per 2 s: a 400 ms interval, far longer than six requests to a local Redis take
    RateClass c = new RateClass("burst", 5, 2);
    long intervalMs = (long) c.emissionIntervalMs();
    String key = key();
    long start = System.currentTimeMillis();
    List<Long> remaining = new ArrayList<>();
    for (int i = 1; i <= c.limit(); i++) {
      Decision d = acquire(c, key, 1);
      assertThat(d.allowed()).as("request %d of %d", i, c.limit()).isTrue();
      assertThat(d.degraded()).isFalse();
      assertThat(d.resetSeconds()).as("whole again i intervals after the burst began")
        .isBetween(ceilSeconds(i * intervalMs - (System.currentTimeMillis() - start)), ceilSeconds(i * intervalMs));
      remaining.add(d.remaining());
    }
    assertThat(remaining).containsExactly(4L, 3L, 2L, 1L, 0L);

    Decision refused = acquire(c, key, 1);
    assertThat(refused.allowed()).as("request limit + 1").isFalse();
    assertThat(refused.degraded()).isFalse();
    assertThat(refused.remaining()).isZero();
    long fullMs = c.limit() * intervalMs;
    assertThat(refused.resetSeconds()).as("a refusal spends nothing")
      .isBetween(ceilSeconds(fullMs - (System.currentTimeMillis() - start)), ceilSeconds(fullMs));
    // due one interval after the burst began: under 400 ms, so 1 s once rounded up, never 0
    assertThat(refused.retryAfterSeconds()).isPositive().isEqualTo(ceilSeconds(intervalMs));

    Decision next = Await.value("one request allowed again", Duration.ofSeconds(5), () -> acquire(c, key, 1),
      Decision::allowed);
    long waited = System.currentTimeMillis() - start;
    assertThat(waited).as("not before one emission interval").isGreaterThanOrEqualTo(intervalMs - 2);
    // one interval gave back one request: a fixed window would have given back the whole limit at its edge
    assertThat(next.remaining()).isZero();
    assertThat(acquire(c, key, 1).allowed()).as("one interval gives back one request, not more").isFalse();
  }

  @Test
  void limitsThatDoNotDivideTheWindowCountExactlyToo() {
    // 6 per 1 s: a 166.67 ms interval, which epoch-millisecond doubles cannot add up exactly unless it is rounded
    RateClass c = new RateClass("sixth", 6, 1);
    for (int round = 0; round < 5; round++) {
      String key = key();
      List<Long> remaining = new ArrayList<>();
      for (int i = 0; i < c.limit(); i++) {
        Decision d = acquire(c, key, 1);
        assertThat(d.allowed()).as("request %d of %d", i + 1, c.limit()).isTrue();
        remaining.add(d.remaining());
      }
      assertThat(remaining).containsExactly(5L, 4L, 3L, 2L, 1L, 0L);
      assertThat(acquire(c, key, 1).allowed()).as("request limit + 1").isFalse();
    }
  }

  @Test
  void aRequestCostingMoreSpendsItsWholeCostOrNothing() {
    // 10 per 60 s: a 6 s interval, so nothing comes back while the test runs
    RateClass c = new RateClass("costly", 10, 60);
    String key = key();
    assertThat(acquire(c, key, 4).remaining()).isEqualTo(6);
    assertThat(acquire(c, key, 4).remaining()).isEqualTo(2);
    Decision refused = acquire(c, key, 4);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).as("a refusal spends nothing and says what is left").isEqualTo(2);
    // two more intervals (12 s) until four fit
    assertThat(refused.retryAfterSeconds()).isBetween(11L, 12L);
    Decision rest = acquire(c, key, 2);
    assertThat(rest.allowed()).isTrue();
    assertThat(rest.remaining()).isZero();
    assertThat(acquire(c, key, 1).allowed()).isFalse();
  }

  @Test
  void keysAndClassesAreCountedApart() {
    RateClass c = new RateClass("apart", 1, 60);
    String key = key();
    assertThat(acquire(c, key, 1).allowed()).isTrue();
    assertThat(acquire(c, key, 1).allowed()).isFalse();
    assertThat(acquire(c, key(), 1).allowed()).as("another key").isTrue();
    assertThat(acquire(new RateClass("apart-too", 1, 60), key, 1).allowed()).as("another class").isTrue();
  }

  @Test
  void whenRedisCannotAnswerDecisionsFailOpenOrClosedAndAreCounted() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Redis down = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + closedPort));
    try {
      RateClass c = new RateClass("down", 50, 60);
      Decision open = Await.result(new RateLimiter(down, "down-open", true, registry).acquire(c, key(), 1));
      assertThat(open.degraded()).isTrue();
      assertThat(open.allowed()).isTrue();
      assertThat(open.remaining()).isEqualTo(50);
      assertThat(open.retryAfterSeconds()).isZero();

      Decision closed = Await.result(new RateLimiter(down, "down-closed", false, registry).acquire(c, key(), 1));
      assertThat(closed.degraded()).isTrue();
      assertThat(closed.allowed()).isFalse();
      assertThat(closed.remaining()).isZero();
      assertThat(closed.retryAfterSeconds()).isEqualTo(1);

      assertThat(registry.get("mediamesh_gateway_ratelimit_redis_failures").tag("gateway", "down-open")
        .tag("mode", "open").counter().count()).isEqualTo(1.0);
      assertThat(registry.get("mediamesh_gateway_ratelimit_redis_failures").tag("gateway", "down-closed")
        .tag("mode", "closed").counter().count()).isEqualTo(1.0);
      assertThat(registry.get("mediamesh_gateway_ratelimit_redis_failures").tag("gateway", prefix)
        .counter().count()).as("the live limiter's decisions reached Redis").isZero();
    } finally {
      down.close();
    }
  }
}
