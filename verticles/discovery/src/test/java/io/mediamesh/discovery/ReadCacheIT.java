package io.mediamesh.discovery;

import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache's guarantees against a real Redis: one load per key at a time, and no stale write-back. */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadCacheIT {

  private final Vertx vertx = Vertx.vertx();
  private Redis redis;

  @BeforeAll
  void start(TestInfra infra) {
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(infra.redisConnectionString())
      .setMaxPoolSize(16));
  }

  @AfterAll
  void stop() {
    redis.close();
    Await.result(vertx.close());
  }

  /** A loader that counts its calls and answers only when released, so callers pile up on a miss. */
  private static final class SlowLoader {
    final AtomicInteger calls = new AtomicInteger();
    final Promise<Void> release = Promise.promise();

    Future<JsonObject> load(String value) {
      calls.incrementAndGet();
      return release.future().map(v -> new JsonObject().put("value", value));
    }
  }

  @Test
  void concurrentMissesInTwoInstancesLoadOnce() {
    ReadCache one = new ReadCache(vertx, redis, new SimpleMeterRegistry());
    ReadCache two = new ReadCache(vertx, redis, new SimpleMeterRegistry());
    String key = "program:" + UUID.randomUUID();
    SlowLoader loader = new SlowLoader();
    List<Future<JsonObject>> answers = new ArrayList<>();
    Await.result(Future.<Void>future(p -> vertx.runOnContext(v -> {
      for (int i = 0; i < 20; i++) {
        answers.add((i % 2 == 0 ? one : two).get(key, List.of(key), 60_000, () -> loader.load("fresh")));
      }
      p.complete();
    })));
    io.mediamesh.testkit.Await.until("a loader call", java.time.Duration.ofSeconds(5), () -> loader.calls.get() > 0);
    vertx.setTimer(100, id -> loader.release.complete());
    Await.result(Future.all(answers));
    answers.forEach(a -> assertThat(a.result().getString("value")).isEqualTo("fresh"));
    assertThat(loader.calls.get()).isEqualTo(1);
  }

  @Test
  void anAnswerLoadedBeforeAnInvalidationIsNotCachedAfterIt() {
    ReadCache cache = new ReadCache(vertx, redis, new SimpleMeterRegistry());
    String key = "program:" + UUID.randomUUID();
    SlowLoader old = new SlowLoader();
    Future<JsonObject> stale = Await.result(Future.<Future<JsonObject>>future(p -> vertx.runOnContext(v ->
      p.complete(cache.get(key, List.of(key), 60_000, () -> old.load("old"))))));
    Await.until("the old load started", java.time.Duration.ofSeconds(5), () -> old.calls.get() == 1);
    // the change commits and is invalidated while the old answer is still being read
    Await.result(cache.invalidate(List.of(key)));
    old.release.complete();
    assertThat(Await.result(stale).getString("value")).isEqualTo("old");
    SlowLoader fresh = new SlowLoader();
    fresh.release.complete();
    JsonObject next = Await.result(Future.<Future<JsonObject>>future(p -> vertx.runOnContext(v ->
      p.complete(cache.get(key, List.of(key), 60_000, () -> fresh.load("new")))))
      .compose(f -> f));
    assertThat(next.getString("value")).isEqualTo("new");
    assertThat(fresh.calls.get()).isEqualTo(1);
  }

  @Test
  void aReadAfterAnInvalidationDoesNotJoinALoadBegunBeforeIt() {
    ReadCache cache = new ReadCache(vertx, redis, new SimpleMeterRegistry());
    String key = "program:" + UUID.randomUUID();
    SlowLoader old = new SlowLoader();
    Future<JsonObject> before = Await.result(Future.<Future<JsonObject>>future(p -> vertx.runOnContext(v ->
      p.complete(cache.get(key, List.of(key), 60_000, () -> old.load("old"))))));
    Await.until("the old load started", java.time.Duration.ofSeconds(5), () -> old.calls.get() == 1);
    Await.result(cache.invalidate(List.of(key)));
    // the old load still holds its Redis lock: the new read waits for it briefly, then loads on its own
    SlowLoader fresh = new SlowLoader();
    fresh.release.complete();
    JsonObject after = Await.result(Future.<Future<JsonObject>>future(p -> vertx.runOnContext(v ->
      p.complete(cache.get(key, List.of(key), 60_000, () -> fresh.load("new")))))
      .compose(f -> f));
    assertThat(after.getString("value")).isEqualTo("new");
    assertThat(fresh.calls.get()).isEqualTo(1);
    old.release.complete();
    assertThat(Await.result(before).getString("value")).isEqualTo("old");
  }
}
