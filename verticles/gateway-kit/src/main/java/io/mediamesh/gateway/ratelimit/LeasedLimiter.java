package io.mediamesh.gateway.ratelimit;

import io.vertx.core.Future;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rate limit for high-volume anonymous reads that does not cost a Redis round trip per request: each gateway
 * instance leases a slice of a key's quota from Redis (one GCRA decision of cost {@code slice}) and spends it
 * locally; refusals are remembered locally until their {@code Retry-After}.
 * <p>
 * The approximation is bounded and one-sided: tokens are spent in Redis before they are used, so across all
 * instances a key never gets more than its limit per window. What is lost is at most {@code slice - 1} tokens per
 * instance per lease lifetime ({@link #LEASE_MS}), leased but not used before the lease expired: a client spread
 * over {@code k} instances may be refused up to {@code k * (slice - 1)} requests early. Near the limit, when a whole
 * slice is no longer available, requests fall back to exact per-request decisions.
 */
public final class LeasedLimiter {

  static final long LEASE_MS = 1_000;
  /** Past this many keys, no more leases are kept: requests of new keys are decided in Redis one by one. */
  static final int MAX_KEYS = 100_000;

  private final RateLimiter limiter;
  private final RateClass rateClass;
  private final int slice;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();

  private static final class Lease {
    long tokens;
    long expiresAt;
    long redisRemaining;
    long refusedUntil;
    /** The lease was granted without Redis (fail-open): its local decisions say so too. */
    boolean degraded;
    Decision refusal;
    Future<Decision> pending;

    /** Records what Redis granted: {@code granted} tokens to spend until the lease expires, or a refusal to remember. */
    void settle(Decision d, int granted, long now) {
      if (d.allowed()) {
        tokens = granted;
        degraded = d.degraded();
        redisRemaining = d.remaining();
        expiresAt = now + LEASE_MS;
      } else {
        refusal = d;
        refusedUntil = now + d.retryAfterSeconds() * 1000;
      }
    }
  }

  public LeasedLimiter(RateLimiter limiter, RateClass rateClass) {
    this.limiter = limiter;
    this.rateClass = rateClass;
    this.slice = Math.max(1, Math.min(1000, rateClass.limit() / 20));
  }

  public int slice() {
    return slice;
  }

  /** A decision made locally, or null when Redis must be asked ({@link #acquire}). */
  public Decision tryLocal(String key, long now) {
    Lease l = leases.get(key);
    if (l == null) {
      return null;
    }
    synchronized (l) {
      if (l.tokens > 0 && now < l.expiresAt) {
        l.tokens--;
        return new Decision(rateClass, true, l.tokens + l.redisRemaining, rateClass.windowSeconds(), 0, l.degraded);
      }
      if (now < l.refusedUntil) {
        return l.refusal;
      }
    }
    return null;
  }

  /** One request's decision: local when a lease or a remembered refusal covers it, else from Redis. */
  public Future<Decision> acquire(String key) {
    long now = System.currentTimeMillis();
    Decision local = tryLocal(key, now);
    if (local != null) {
      return Future.succeededFuture(local);
    }
    if (leases.size() >= MAX_KEYS && !leases.containsKey(key)) {
      return limiter.acquire(rateClass, key, 1);
    }
    Lease l = leases.computeIfAbsent(key, k -> new Lease());
    Future<Decision> pending;
    synchronized (l) {
      pending = l.pending;
      if (pending == null) {
        pending = lease(key, l);
        // a lease that completed at once (a Redis call can fail before returning) has already run its clean-up,
        // which cleared nothing; keeping it would stop this key from ever leasing again
        l.pending = pending.isComplete() ? null : pending;
      }
    }
    return pending.compose(d -> {
      Decision mine = tryLocal(key, System.currentTimeMillis());
      return mine != null ? Future.succeededFuture(mine) : limiter.acquire(rateClass, key, 1);
    });
  }

  /** Leases a whole slice; when less than a slice is left, a single token (exact near the limit). */
  private Future<Decision> lease(String key, Lease l) {
    return limiter.acquire(rateClass, key, slice)
      .compose(d -> d.allowed() || slice == 1 || d.degraded()
        ? Future.succeededFuture(new Grant(d, d.degraded() ? 1 : slice))
        : limiter.acquire(rateClass, key, 1).map(single -> new Grant(single, 1)))
      .onComplete(ar -> {
        synchronized (l) {
          l.pending = null;
          if (ar.succeeded()) {
            l.settle(ar.result().decision(), ar.result().tokens(), System.currentTimeMillis());
          }
        }
      })
      .map(Grant::decision);
  }

  private record Grant(Decision decision, int tokens) {
  }

  /** Records a lease's outcome for {@code key} as {@link #acquire} does when Redis answers; lets tests skip Redis. */
  void settle(String key, Decision d, int tokens, long now) {
    Lease l = leases.computeIfAbsent(key, k -> new Lease());
    synchronized (l) {
      l.settle(d, tokens, now);
    }
  }

  /** Drops expired leases and refusals; called periodically so the map stays bounded by active clients. */
  public void sweep() {
    sweep(System.currentTimeMillis());
  }

  void sweep(long now) {
    leases.entrySet().removeIf(e -> {
      Lease l = e.getValue();
      synchronized (l) {
        return l.pending == null && now >= l.expiresAt && now >= l.refusedUntil;
      }
    });
  }

  int size() {
    return leases.size();
  }

  /** Whether a lease of {@code key} is being asked of Redis now (for tests). */
  boolean leasing(String key) {
    Lease l = leases.get(key);
    if (l == null) {
      return false;
    }
    synchronized (l) {
      return l.pending != null;
    }
  }
}
