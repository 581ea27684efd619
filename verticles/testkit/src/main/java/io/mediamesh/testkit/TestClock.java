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
 * <ul>
 *   <li>{@link #TestClock(Instant) fixed}: stands still until moved (pure tests: every time is known);</li>
 *   <li>{@link #running()}: runs with the system clock, shifted by every {@link #advance} (services under test, where
 *   order by creation time must still hold between calls).</li>
 * </ul>
 * Thread-safe: the services read it from their event loops while the test moves it.
 */
public final class TestClock extends Clock {

  private final boolean running;
  private final AtomicReference<Instant> fixed;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  /** A clock standing at {@code start}. */
  public TestClock(Instant start) {
    this(false, start);
  }

  private TestClock(boolean running, Instant start) {
    this.running = running;
    this.fixed = new AtomicReference<>(start);
  }

  /** A clock running with the system's, moved ahead by {@link #advance}. */
  public static TestClock running() {
    return new TestClock(true, null);
  }

  public void advance(Duration by) {
    if (running) {
      offset.updateAndGet(o -> o.plus(by));
    } else {
      fixed.updateAndGet(t -> t.plus(by));
    }
  }

  @Override
  public Instant instant() {
    return running ? Instant.now().plus(offset.get()) : fixed.get();
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
