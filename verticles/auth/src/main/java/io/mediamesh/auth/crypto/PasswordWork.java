package io.mediamesh.auth.crypto;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Password hashing and verification with bounded concurrency and a bounded queue. Each check costs tens of
 * milliseconds of a core on purpose, so an unbounded queue lets a flood of wrong-password logins delay every
 * answer past its timeout (and open the gateways' breakers for everyone). Here at most {@code concurrency} run at
 * once on a worker pool of their own (so they cannot starve other blocking work either) and at most {@code queue}
 * wait; past that the caller gets a 429 with {@code Retry-After} at once: a refusal of the caller, not a failure of
 * the service, so no breaker counts it.
 */
public final class PasswordWork {

  private final WorkerExecutor workers;
  private final int capacity;
  private final AtomicInteger admitted = new AtomicInteger();
  private final Counter refused;

  public PasswordWork(Vertx vertx, int concurrency, int queue, MeterRegistry registry) {
    if (concurrency < 1 || queue < 0) {
      throw new IllegalArgumentException("password work needs concurrency >= 1 and queue >= 0");
    }
    this.workers = vertx.createSharedWorkerExecutor("mediamesh-auth-passwords", concurrency);
    this.capacity = concurrency + queue;
    this.refused = Counter.builder("mediamesh_auth_password_work_refused")
      .description("password checks refused because the bounded queue was full").register(registry);
    Gauge.builder("mediamesh_auth_password_work_admitted", admitted, AtomicInteger::get)
      .description("password checks running or queued").register(registry);
  }

  /** Runs {@code work} (a hash or a verification) when a place is free, or refuses at once when none is. */
  public <T> Future<T> submit(Callable<T> work) {
    if (admitted.incrementAndGet() > capacity) {
      admitted.decrementAndGet();
      refused.increment();
      return Future.failedFuture(new ServiceException(ErrorCode.RATE_LIMITED,
        "too many password checks in progress; retry shortly",
        new JsonObject().put("policy", "password-work").put("retryAfterSeconds", 1)));
    }
    return workers.executeBlocking(work, false).andThen(ar -> admitted.decrementAndGet());
  }

  public Future<Void> close() {
    return workers.close();
  }
}
