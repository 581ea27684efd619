package io.mediamesh.discoverygateway;

import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.DiscoveryFacts;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache's own policy, without Redis (its stale store is best effort: writes to a Redis that is not there
 * are dropped): one fetch per key at a time, no answer stored from before an invalidation, and what an invalidation
 * drops.
 */
class ResponseCacheTest {

  private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
  private Vertx vertx;
  private Redis nowhere;
  private ResponseCache cache;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    nowhere = Redis.createClient(vertx, "redis://127.0.0.1:1");
    cache = new ResponseCache(vertx, nowhere, "test:", 100, 60, new SimpleMeterRegistry(), clock);
  }

  @AfterEach
  void stop() {
    nowhere.close();
    Await.result(vertx.close());
  }

  private ResponseCache.Entry entry(String body) {
    return new ResponseCache.Entry(Buffer.buffer(body), "\"" + body.length() + "\"", clock.millis() + 60_000, null,
      null);
  }

  private void stored(String key) {
    Await.result(cache.load(key, () -> Future.succeededFuture(entry("{\"key\":\"" + key + "\"}"))));
  }

  private boolean fresh(String key) {
    return cache.peek(key, clock.millis()) != null;
  }

  private static DiscoveryApi.Invalidation change(List<UUID> programs, List<UUID> episodes, boolean lists) {
    return new DiscoveryApi.Invalidation(programs, episodes, lists, List.of());
  }

  @Test
  void missesOfOneKeyTogetherShareOneFetch() {
    AtomicInteger fetches = new AtomicInteger();
    Promise<ResponseCache.Entry> answer = Promise.promise();
    String key = DiscoveryFacts.program(UUID.randomUUID());
    Future<ResponseCache.Entry> first = cache.load(key, () -> {
      fetches.incrementAndGet();
      return answer.future();
    });
    Future<ResponseCache.Entry> second = cache.load(key, () -> {
      fetches.incrementAndGet();
      return Future.succeededFuture(entry("{}"));
    });
    answer.complete(entry("{\"title\":\"one\"}"));
    assertThat(Await.result(first)).isSameAs(Await.result(second));
    assertThat(fetches.get()).isEqualTo(1);
    assertThat(fresh(key)).isTrue();
  }

  @Test
  void anAnswerFetchedBeforeAnInvalidationIsNeitherJoinedNorStoredAfterIt() {
    String key = DiscoveryFacts.program(UUID.randomUUID());
    Promise<ResponseCache.Entry> old = Promise.promise();
    Future<ResponseCache.Entry> before = cache.load(key, old::future);
    cache.invalidate(change(List.of(UUID.randomUUID()), List.of(), false));
    AtomicInteger fetches = new AtomicInteger();
    Future<ResponseCache.Entry> after = cache.load(key, () -> {
      fetches.incrementAndGet();
      return Future.succeededFuture(entry("{\"title\":\"new\"}"));
    });
    assertThat(fetches.get()).as("a fetch of its own for the request after the change").isEqualTo(1);
    assertThat(Await.result(after).body().toString()).contains("new");
    cache.invalidate(change(List.of(), List.of(), false));
    old.complete(entry("{\"title\":\"old\"}"));
    assertThat(Await.result(before).body().toString()).contains("old");
    assertThat(cache.peek(key, clock.millis()).body().toString()).as("the old answer was not stored").contains("new");
  }

  @Test
  void anInvalidationDropsTheProgramsItsEpisodesPagesTheEpisodesAndTheLists() {
    UUID changed = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    UUID episode = UUID.randomUUID();
    String page = DiscoveryFacts.programEpisodes(changed) + "{\"page\":0}";
    String list = DiscoveryFacts.list("programs", "{}");
    String categories = DiscoveryFacts.list("categories", "{}");
    List<String> keys = List.of(DiscoveryFacts.program(changed), page, DiscoveryFacts.episode(episode),
      DiscoveryFacts.program(other), DiscoveryFacts.programEpisodes(other) + "{}", list, categories, "r:trending:{}",
      "s:q:{}");
    keys.forEach(this::stored);
    cache.invalidate(change(List.of(changed), List.of(episode), false));
    assertThat(keys.stream().filter(this::fresh)).containsExactly(DiscoveryFacts.program(other),
      DiscoveryFacts.programEpisodes(other) + "{}", list, categories, "r:trending:{}", "s:q:{}");
    cache.invalidate(change(List.of(), List.of(), true));
    assertThat(keys.stream().filter(this::fresh)).containsExactly(DiscoveryFacts.program(other),
      DiscoveryFacts.programEpisodes(other) + "{}", "r:trending:{}", "s:q:{}");
  }

  @Test
  void anAnswerIsFreshUntilItExpires() {
    String key = DiscoveryFacts.episode(UUID.randomUUID());
    stored(key);
    assertThat(cache.fresh(key, clock.millis())).isNotNull();
    clock.advance(Duration.ofSeconds(61));
    assertThat(cache.fresh(key, clock.millis())).isNull();
    assertThat(cache.size()).as("kept for stale-if-error until the sweep").isEqualTo(1);
  }
}
