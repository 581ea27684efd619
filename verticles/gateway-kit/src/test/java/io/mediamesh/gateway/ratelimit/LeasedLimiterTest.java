package io.mediamesh.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local side of leased limits: slice sizes, spending a lease, expiry, remembered refusals and the sweep.
 * Leases are recorded as {@link LeasedLimiter#acquire} records Redis's answers, so no Redis is needed (and none is
 * given: a test that reached Redis would fail on the null limiter).
 */
class LeasedLimiterTest {

  private static final RateClass READS = new RateClass("reads", 6000, 60);
  private static final long NOW = 1_000_000;

  private static LeasedLimiter limiter(RateClass c) {
    return new LeasedLimiter(null, c);
  }

  private static Decision allowed(long redisRemaining) {
    return new Decision(READS, true, redisRemaining, 60, 0, false);
  }

  @Test
  void sliceIsATwentiethOfTheLimitBetweenOneAndAThousand() {
    assertThat(limiter(READS).slice()).isEqualTo(300);
    assertThat(limiter(new RateClass("search", 600, 60)).slice()).isEqualTo(30);
    assertThat(limiter(new RateClass("small", 39, 60)).slice()).isEqualTo(1);
    assertThat(limiter(new RateClass("tiny", 5, 60)).slice()).isEqualTo(1);
    assertThat(limiter(new RateClass("huge", 1_000_000, 60)).slice()).isEqualTo(1000);
  }

  @Test
  void unknownKeyIsDecidedInRedis() {
    assertThat(limiter(READS).tryLocal("ip:10.0.0.1", NOW)).isNull();
  }

  @Test
  void aLeaseAllowsExactlyItsTokensLocallyCountingDown() {
    LeasedLimiter l = limiter(READS);
    int slice = l.slice();
    l.settle("k", allowed(5000), slice, NOW);
    List<Long> remaining = new ArrayList<>();
    for (int i = 0; i < slice; i++) {
      Decision d = l.tryLocal("k", NOW + i);
      assertThat(d).as("local decision %d of %d", i + 1, slice).isNotNull();
      assertThat(d.allowed()).isTrue();
      assertThat(d.degraded()).isFalse();
      assertThat(d.resetSeconds()).isEqualTo(READS.windowSeconds());
      remaining.add(d.remaining());
    }
    // what the lease still holds plus what Redis had left when it was taken
    assertThat(remaining.get(0)).isEqualTo(5000 + slice - 1);
    assertThat(remaining.get(slice - 1)).isEqualTo(5000);
    for (int i = 1; i < slice; i++) {
      assertThat(remaining.get(i)).isEqualTo(remaining.get(i - 1) - 1);
    }
    assertThat(l.tryLocal("k", NOW + slice)).as("the slice+1-th request goes to Redis").isNull();
    assertThat(l.tryLocal("other", NOW)).as("leases are per key").isNull();
  }

  @Test
  void aSingleTokenGrantAllowsOneRequest() {
    // near the limit a whole slice is refused and one token is leased instead
    LeasedLimiter l = limiter(READS);
    l.settle("k", allowed(0), 1, NOW);
    assertThat(l.tryLocal("k", NOW).remaining()).isZero();
    assertThat(l.tryLocal("k", NOW)).isNull();
  }

  @Test
  void unusedTokensExpireWithTheLease() {
    LeasedLimiter l = limiter(READS);
    l.settle("k", allowed(100), 10, NOW);
    assertThat(l.tryLocal("k", NOW + LeasedLimiter.LEASE_MS - 1)).isNotNull();
    assertThat(l.tryLocal("k", NOW + LeasedLimiter.LEASE_MS)).isNull();
  }

  @Test
  void aLeaseGrantedWithoutRedisSaysSoInItsLocalDecisions() {
    LeasedLimiter l = limiter(READS);
    l.settle("k", new Decision(READS, true, READS.limit(), 60, 0, true), 1, NOW); // fail-open: one token
    Decision local = l.tryLocal("k", NOW);
    assertThat(local.allowed()).isTrue();
    assertThat(local.degraded()).isTrue();
    // a fail-closed refusal is remembered as it is: a 503, not a 429
    Decision closed = new Decision(READS, false, 0, 60, 1, true);
    l.settle("c", closed, 0, NOW);
    assertThat(l.tryLocal("c", NOW).refusal().code().status()).isEqualTo(503);
  }

  @Test
  void aRefusalIsRememberedUntilItsRetryAfter() {
    LeasedLimiter l = limiter(READS);
    Decision refusal = new Decision(READS, false, 0, 60, 2, false);
    l.settle("k", refusal, 0, NOW);
    assertThat(l.tryLocal("k", NOW)).isSameAs(refusal);
    assertThat(l.tryLocal("k", NOW + 1999)).isSameAs(refusal);
    assertThat(l.tryLocal("k", NOW + 2000)).as("Redis is asked again once the wait is over").isNull();
  }

  @Test
  void sweepDropsOnlyExpiredLeasesAndRefusals() {
    LeasedLimiter l = limiter(READS);
    l.settle("leased", allowed(100), 10, NOW);
    l.settle("refused", new Decision(READS, false, 0, 60, 3, false), 0, NOW);
    l.sweep(NOW + LeasedLimiter.LEASE_MS - 1);
    assertThat(l.size()).isEqualTo(2);
    l.sweep(NOW + LeasedLimiter.LEASE_MS);
    assertThat(l.size()).as("the lease expired, the refusal has 2 s to go").isEqualTo(1);
    assertThat(l.tryLocal("refused", NOW + 2999)).isNotNull();
    l.sweep(NOW + 3000);
    assertThat(l.size()).isZero();
    assertThat(l.tryLocal("refused", NOW + 2999)).isNull();
  }
}
