package io.mediamesh.gateway.ratelimit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lease whose Redis call fails before returning (a closed client does) must not stay pending: the key would
 * never lease again and every request would go to Redis. A stub Redis that fails at once stands in for it.
 */
class LeasedLimiterFailureTest {

  /** A Redis client that answers every command with an immediate failure, counting them. */
  private static final class FailingRedis implements Redis {
    final AtomicInteger sent = new AtomicInteger();

    @Override
    public Future<RedisConnection> connect() {
      return Future.failedFuture("closed");
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Response> send(Request command) {
      sent.incrementAndGet();
      return Future.failedFuture("Connection is closed");
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
      return Future.failedFuture("Connection is closed");
    }
  }

  @Test
  void aLeaseThatFailsAtOnceIsNotLeftPending() {
    FailingRedis redis = new FailingRedis();
    RateClass reads = new RateClass("reads", 6000, 60);
    LeasedLimiter limiter = new LeasedLimiter(new RateLimiter(redis, "test", true, new SimpleMeterRegistry()),
      reads);
    Decision first = limiter.acquire("ip:10.0.0.1").result();
    assertThat(first.allowed()).as("failed open").isTrue();
    assertThat(limiter.leasing("ip:10.0.0.1")).isFalse();
    int sent = redis.sent.get();
    limiter.acquire("ip:10.0.0.1");
    limiter.acquire("ip:10.0.0.1");
    // each request after the degraded grant is spent asks Redis again, by a new lease rather than a stuck one
    assertThat(limiter.leasing("ip:10.0.0.1")).isFalse();
    assertThat(redis.sent.get()).isGreaterThan(sent);
  }
}
