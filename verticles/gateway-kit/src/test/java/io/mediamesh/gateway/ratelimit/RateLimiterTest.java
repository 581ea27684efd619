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
  void scriptShaIsTheSha1RedisComputes() {
    // EVALSHA only finds the script when this is exactly Redis's SHA-1 of the source (FIPS 180 test vector)
    assertThat(RateLimiter.sha1("abc")).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    assertThat(RateLimiter.sha1(RateLimiter.GCRA)).matches("[0-9a-f]{40}");
  }
}
