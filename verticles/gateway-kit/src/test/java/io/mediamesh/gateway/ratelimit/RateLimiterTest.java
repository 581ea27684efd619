package io.mediamesh.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the GCRA script's answer (milliseconds) becomes a decision (whole seconds), without Redis. */
class RateLimiterTest {

  private static final RateClass WRITES = new RateClass("writes", 300, 60);

  @Test
  void allowedAnswerRoundsTheResetUpAndHasNoRetry() {
    Decision d = RateLimiter.decision(WRITES, true, 299, 200, 0);
    assertThat(d.allowed()).isTrue();
    assertThat(d.remaining()).isEqualTo(299);
    assertThat(d.resetSeconds()).isEqualTo(1);
    assertThat(d.retryAfterSeconds()).isZero();
    assertThat(d.degraded()).isFalse();
    assertThat(RateLimiter.decision(WRITES, true, 0, 60_000, 0).resetSeconds()).isEqualTo(60);
    assertThat(RateLimiter.decision(WRITES, true, 0, 60_001, 0).resetSeconds()).isEqualTo(61);
  }

  @Test
  void refusalWaitIsRoundedUpToWholeSeconds() {
    assertThat(RateLimiter.decision(WRITES, false, 0, 60_000, 1).retryAfterSeconds()).isEqualTo(1);
    assertThat(RateLimiter.decision(WRITES, false, 0, 60_000, 1000).retryAfterSeconds()).isEqualTo(1);
    assertThat(RateLimiter.decision(WRITES, false, 0, 60_000, 1001).retryAfterSeconds()).isEqualTo(2);
    assertThat(RateLimiter.decision(WRITES, false, 0, 60_000, 12_345).retryAfterSeconds()).isEqualTo(13);
  }

  @Test
  void refusalNeverSaysRetryNow() {
    // a guard whatever the script answers: Retry-After: 0 would invite a client to retry in a tight loop
    Decision d = RateLimiter.decision(WRITES, false, 0, 60_000, 0);
    assertThat(d.allowed()).isFalse();
    assertThat(d.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void remainingStaysWithinZeroAndTheLimit() {
    assertThat(RateLimiter.decision(WRITES, true, -3, 0, 0).remaining()).isZero();
    assertThat(RateLimiter.decision(WRITES, true, 305, 0, 0).remaining()).isEqualTo(300);
    assertThat(RateLimiter.decision(WRITES, false, 7, 1000, 1000).remaining()).isEqualTo(7);
  }

  @Test
  void intervalsOfWholeMillisecondsReachTheScriptUnchanged() {
    assertThat(RateLimiter.intervalArg(new RateClass("reads", 6000, 60))).isEqualTo("10.0");
    assertThat(RateLimiter.intervalArg(new RateClass("login-account", 10, 300))).isEqualTo("30000.0");
  }

  @Test
  void fractionalIntervalsAddUpExactlyAtEpochMilliseconds() {
    // the script's arithmetic in the same IEEE doubles as Redis's Lua: a burst of exactly the limit from one
    // instant must end with its TAT a whole window ahead, not a rounding error past it
    for (int[] limitAndWindow : new int[][] {{3, 1}, {6, 1}, {7, 1}, {11, 1}, {13, 10}, {999, 60}}) {
      RateClass c = new RateClass("c", limitAndWindow[0], limitAndWindow[1]);
      double interval = Double.parseDouble(RateLimiter.intervalArg(c));
      assertThat(Math.abs(interval - c.emissionIntervalMs())).isLessThanOrEqualTo(1.0 / 2048);
      double window = interval * c.limit();
      for (double now : new double[] {1_760_000_000_123.0, 1_760_000_000_124.0, 8_000_000_000_001.0}) {
        double tat = now;
        for (int i = 1; i <= c.limit(); i++) {
          tat += interval;
          long remaining = (long) Math.floor((now + window - tat) / interval);
          assertThat(remaining).as("%s at %s, request %d", c, now, i).isEqualTo(c.limit() - i);
        }
        assertThat(tat - window).as("%s at %s: the last request of the burst is due now", c, now).isEqualTo(now);
      }
    }
  }

  @Test
  void scriptShaIsTheSha1RedisComputes() {
    // EVALSHA only finds the script when this is exactly Redis's SHA-1 of the source (FIPS 180 test vector)
    assertThat(RateLimiter.sha1("abc")).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    assertThat(RateLimiter.sha1(RateLimiter.GCRA)).matches("[0-9a-f]{40}");
  }
}
