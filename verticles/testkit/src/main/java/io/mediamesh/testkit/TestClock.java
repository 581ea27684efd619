package io.mediamesh.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock the test moves: pass it to {@code Platform.start(config, modules, clock)} (or to a class under test) and
 * {@link #advance} it to reach a scheduled time, a rental's end or a retention limit without waiting for it.
 * Thread-safe: the services read it from their event loops while the test moves it.
 */
public final class TestClock extends Clock {

  private final AtomicReference<Instant> now;

  public TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Starts at the real time now (to the millisecond), then moves only when told. */
  public static TestClock startingNow() {
    return new TestClock(Instant.ofEpochMilli(System.currentTimeMillis()));
  }

  public void advance(Duration by) {
    now.updateAndGet(t -> t.plus(by));
  }

  public void set(Instant to) {
    now.set(to);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (zone.equals(ZoneOffset.UTC)) {
      return this;
    }
    throw new UnsupportedOperationException("a test clock keeps UTC");
  }
}
