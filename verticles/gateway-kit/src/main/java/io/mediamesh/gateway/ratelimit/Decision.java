package io.mediamesh.gateway.ratelimit;

/**
 * The outcome of one rate-limit decision: allowed or not, what is left, seconds until the quota is whole again,
 * and for a refusal the seconds to wait. {@code degraded} marks a decision made without Redis (fail open/closed).
 */
public record Decision(RateClass rateClass, boolean allowed, long remaining, long resetSeconds,
                       long retryAfterSeconds, boolean degraded) {

  /** The IETF RateLimit item: {@code "name";r=remaining;t=reset}. */
  public String item() {
    return "\"" + rateClass.name() + "\";r=" + remaining + ";t=" + resetSeconds;
  }
}
