package io.mediamesh.search;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The search answer cache's rules, without a database: generations, coalescing, failures, bounds. */
class ResultCacheTest {

  private final AtomicInteger loads = new AtomicInteger();

  private Supplier<Future<JsonObject>> answer(String value) {
    return () -> {
      loads.incrementAndGet();
      return Future.succeededFuture(new JsonObject().put("v", value));
    };
  }

  @Test
  void aQueryIsLoadedOnceUntilTheIndexChanges() {
    ResultCache cache = new ResultCache(100, 1 << 20, new SimpleMeterRegistry());
    assertThat(cache.get("k", answer("a")).result().getString("v")).isEqualTo("a");
    assertThat(cache.get("k", answer("b")).result().getString("v")).isEqualTo("a");
    assertThat(loads).hasValue(1);
    cache.changed();
    assertThat(cache.get("k", answer("c")).result().getString("v")).isEqualTo("c");
    assertThat(loads).hasValue(2);
  }

  @Test
  void concurrentMissesShareOneLoad() {
    ResultCache cache = new ResultCache(100, 1 << 20, new SimpleMeterRegistry());
    Promise<JsonObject> pending = Promise.promise();
    Supplier<Future<JsonObject>> load = () -> {
      loads.incrementAndGet();
      return pending.future();
    };
    Future<JsonObject> first = cache.get("k", load);
    Future<JsonObject> second = cache.get("k", load);
    assertThat(loads).hasValue(1);
    pending.complete(new JsonObject().put("v", "x"));
    assertThat(first.result()).isEqualTo(second.result()).isEqualTo(new JsonObject().put("v", "x"));
  }

  @Test
  void anAnswerComputedBeforeAChangeIsNotServedAfterIt() {
    ResultCache cache = new ResultCache(100, 1 << 20, new SimpleMeterRegistry());
    Promise<JsonObject> before = Promise.promise();
    Future<JsonObject> early = cache.get("k", () -> before.future());
    cache.changed(); // the index changed while the query ran
    before.complete(new JsonObject().put("v", "old"));
    assertThat(early.result().getString("v")).isEqualTo("old"); // its own caller asked before the change
    assertThat(cache.get("k", answer("new")).result().getString("v")).isEqualTo("new");
    assertThat(loads).hasValue(1);
  }

  @Test
  void aFailedLoadIsNotKept() {
    ResultCache cache = new ResultCache(100, 1 << 20, new SimpleMeterRegistry());
    Future<JsonObject> failed = cache.get("k", () -> Future.failedFuture("database down"));
    assertThat(failed.failed()).isTrue();
    assertThat(cache.get("k", answer("a")).result().getString("v")).isEqualTo("a");
    assertThat(loads).hasValue(1);
  }

  @Test
  void theLeastRecentlyUsedAnswerGoesFirst() {
    ResultCache cache = new ResultCache(2, 1 << 20, new SimpleMeterRegistry());
    cache.get("a", answer("a"));
    cache.get("b", answer("b"));
    cache.get("a", answer("a")); // a is now the most recent
    cache.get("c", answer("c")); // b goes
    assertThat(loads).hasValue(3);
    cache.get("a", answer("a"));
    assertThat(loads).hasValue(3);
    cache.get("b", answer("b"));
    assertThat(loads).hasValue(4);
  }

  @Test
  void answersBeyondTheByteBudgetAreDroppedOldestFirst() {
    // each answer encodes to about 1 KB; the budget holds two
    ResultCache cache = new ResultCache(100, 2_500, new SimpleMeterRegistry());
    String filler = "x".repeat(1_000);
    for (String k : List.of("a", "b", "c")) {
      cache.get(k, answer(filler + k));
    }
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.bytes()).isBetween(2_000L, 2_500L);
    cache.get("a", answer(filler + "a")); // a was the oldest: loaded again
    assertThat(loads).hasValue(4);
    cache.get("c", answer(filler + "c")); // c stayed
    assertThat(loads).hasValue(4);
  }

  @Test
  void aGenerationThisInstanceCommittedIsNotClearedAgainByThePoll() {
    ResultCache cache = new ResultCache(100, 1 << 20, new SimpleMeterRegistry());
    cache.observed(4); // the first poll
    cache.committed(5); // this instance's batch
    cache.get("k", answer("a"));
    cache.observed(5); // the poll reads that same commit
    cache.observed(4); // a poll that started before it
    cache.get("k", answer("b"));
    assertThat(loads).hasValue(1);
    cache.observed(6); // another instance's commit
    assertThat(cache.get("k", answer("c")).result().getString("v")).isEqualTo("c");
    assertThat(loads).hasValue(2);
  }

  @Test
  void aCallerAfterAChangeDoesNotJoinALoadBegunBeforeIt() {
    ResultCache cache = new ResultCache(100, 1 << 20, new SimpleMeterRegistry());
    Promise<JsonObject> before = Promise.promise();
    Future<JsonObject> early = cache.get("k", () -> before.future());
    cache.changed(); // the index changed while the query ran
    Future<JsonObject> late = cache.get("k", answer("new"));
    assertThat(late.result().getString("v")).isEqualTo("new");
    before.complete(new JsonObject().put("v", "old"));
    assertThat(early.result().getString("v")).isEqualTo("old");
    assertThat(cache.get("k", answer("newer")).result().getString("v")).isEqualTo("new"); // the late one was kept
    assertThat(loads).hasValue(1);
  }

  @Test
  void aLoadRunsOutsideTheCachesLockSoAnotherThreadIsAnsweredMeanwhile() throws Exception {
    ResultCache cache = new ResultCache(100, 1 << 20, new SimpleMeterRegistry());
    cache.get("other", answer("o"));
    // while one query loads, a caller on another thread asks for a stored answer: it must not wait for the load
    JsonObject answered = cache.get("k", () -> {
      CompletableFuture<JsonObject> other = CompletableFuture.supplyAsync(() -> cache.get("other", answer("x"))
        .result());
      try {
        return Future.succeededFuture(new JsonObject().put("v", other.get(5, TimeUnit.SECONDS).getString("v")));
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }).result();
    assertThat(answered.getString("v")).isEqualTo("o");
  }

  @Test
  void eachCallerGetsAnAnswerOfItsOwn() {
    ResultCache cache = new ResultCache(100, 1 << 20, new SimpleMeterRegistry());
    Promise<JsonObject> pending = Promise.promise();
    Future<JsonObject> first = cache.get("k", () -> pending.future());
    Future<JsonObject> second = cache.get("k", () -> pending.future());
    pending.complete(new JsonObject().put("v", "x"));
    first.result().put("correctedQuery", "y"); // what a caller adds stays its own
    assertThat(second.result().containsKey("correctedQuery")).isFalse();
    assertThat(cache.get("k", answer("z")).result()).isEqualTo(new JsonObject().put("v", "x"));
  }
}
