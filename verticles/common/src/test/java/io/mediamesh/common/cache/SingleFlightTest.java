package io.mediamesh.common.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SingleFlightTest {

  private final SingleFlight<String, String> flights = new SingleFlight<>();

  @Test
  void concurrentCallersOfOneKeyShareOneLoad() {
    AtomicInteger loads = new AtomicInteger();
    Promise<String> db = Promise.promise();
    Future<String> first = flights.load("k", t -> {
      loads.incrementAndGet();
      return db.future();
    });
    Future<String> second = flights.load("k", t -> {
      loads.incrementAndGet();
      return Future.succeededFuture("other");
    });
    Future<String> otherKey = flights.load("j", t -> {
      loads.incrementAndGet();
      return Future.succeededFuture("j");
    });
    assertThat(loads).hasValue(2);
    assertThat(flights.inFlight()).isEqualTo(1);
    db.complete("v");
    assertThat(first.result()).isEqualTo("v");
    assertThat(second.result()).isEqualTo("v");
    assertThat(otherKey.result()).isEqualTo("j");
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void aCallerAfterAnInvalidationDoesNotJoinALoadBegunBeforeIt() {
    Promise<String> before = Promise.promise();
    List<SingleFlight.Ticket> tickets = new ArrayList<>();
    Future<String> old = flights.load("k", t -> {
      tickets.add(t);
      return before.future();
    });
    flights.invalidate();
    Future<String> fresh = flights.load("k", t -> {
      tickets.add(t);
      return Future.succeededFuture("after");
    });
    before.complete("before");
    assertThat(old.result()).isEqualTo("before");
    assertThat(fresh.result()).isEqualTo("after");
    assertThat(tickets.get(0).current()).as("the load begun before the change may not be stored").isFalse();
    assertThat(tickets.get(1).current()).isTrue();
  }

  @Test
  void aGenerationReadFromStorageSeparatesFlights() {
    AtomicInteger loads = new AtomicInteger();
    Promise<String> slow = Promise.promise();
    flights.load("k", 4, t -> {
      loads.incrementAndGet();
      return slow.future();
    });
    flights.load("k", 4, t -> Future.succeededFuture("joined? no"));
    Future<String> newer = flights.load("k", 5, t -> {
      loads.incrementAndGet();
      return Future.succeededFuture("gen 5");
    });
    assertThat(loads).hasValue(2);
    assertThat(newer.result()).isEqualTo("gen 5");
    assertThat(flights.advanceTo(9)).isEqualTo(9);
    assertThat(flights.advanceTo(3)).as("generations never go back").isEqualTo(9);
  }

  @Test
  void aFailedLoadIsNotRememberedAndAThrowingLoaderFailsItsCallers() {
    Future<String> failed = flights.load("k", t -> {
      throw new IllegalStateException("boom");
    });
    assertThat(failed.failed()).isTrue();
    assertThat(failed.cause()).hasMessage("boom");
    assertThat(flights.load("k", t -> Future.succeededFuture("again")).result()).isEqualTo("again");
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void threadsRacingOnOneKeyStillLoadOnce() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    Promise<String> db = Promise.promise();
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<Future<String>>> calls = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      calls.add(pool.submit(() -> {
        go.await();
        return flights.load("k", t -> {
          loads.incrementAndGet();
          return db.future();
        });
      }));
    }
    go.countDown();
    List<Future<String>> answers = new ArrayList<>();
    for (var call : calls) {
      answers.add(call.get(10, TimeUnit.SECONDS));
    }
    pool.shutdown();
    db.complete("once");
    assertThat(loads).hasValue(1);
    assertThat(answers).allSatisfy(a -> assertThat(a.result()).isEqualTo("once"));
  }
}
