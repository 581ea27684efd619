package io.mediamesh.common.runtime;

/** Retry delays: doubling from an initial delay, capped. */
public final class Backoff {

  private Backoff() {
  }

  /**
   * The wait before attempt {@code attempts + 1}, after {@code attempts} failed ones: {@code initialMs} after the
   * first, twice that after the second, and so on, never more than {@code maxMs}.
   */
  public static long doubling(long initialMs, long maxMs, int attempts) {
    double delay = initialMs * Math.pow(2, Math.max(0, attempts - 1));
    return (long) Math.min(delay, maxMs);
  }
}
