package io.mediamesh.testkit;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests: for a future, or for a condition by a bounded poll (never a fixed sleep). */
public final class Await {

  public static final Duration DEFAULT = Duration.ofSeconds(30);

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    return result(future, DEFAULT);
  }

  public static <T> T result(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The failure of a future that must fail. */
  public static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("future did not fail: " + e);
    }
    throw new AssertionError("future succeeded but was expected to fail");
  }

  /** Polls until the condition holds, failing with {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Polls a value until {@code done} accepts it; returns it. */
  public static <T> T value(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
    Object[] last = new Object[1];
    until(what, timeout, () -> {
      T v = probe.get();
      last[0] = v;
      return done.test(v);
    });
    @SuppressWarnings("unchecked")
    T result = (T) last[0];
    return result;
  }
}
