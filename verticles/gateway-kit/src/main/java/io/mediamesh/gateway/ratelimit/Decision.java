package io.mediamesh.gateway.ratelimit;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Collectors;

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

  /** The {@code RateLimit-Policy} field of an answer: one item per decision the request went through, in order. */
  public static String policyHeader(List<Decision> decisions) {
    if (decisions.size() == 1) {
      return decisions.get(0).rateClass().policy(); // the usual case, on every read: no stream
    }
    return decisions.stream().map(d -> d.rateClass().policy()).collect(Collectors.joining(", "));
  }

  /** The {@code RateLimit} field of an answer, item for item in the order of {@link #policyHeader}. */
  public static String rateLimitHeader(List<Decision> decisions) {
    if (decisions.size() == 1) {
      return decisions.get(0).item();
    }
    return decisions.stream().map(Decision::item).collect(Collectors.joining(", "));
  }

  /**
   * The 429 for a refusal, or the 503 for a refusal made without Redis (fail-closed: the caller is not over its
   * quota, the limiter is unavailable); the failure handler turns {@code details.retryAfterSeconds} into
   * {@code Retry-After}.
   */
  public ServiceException refusal() {
    RateClass c = rateClass;
    JsonObject details = new JsonObject().put("policy", c.name()).put("retryAfterSeconds", retryAfterSeconds);
    if (degraded) {
      return new ServiceException(ErrorCode.UNAVAILABLE,
        "rate limiting is unavailable (" + c.name() + "), so the request was refused: try again", details);
    }
    return new ServiceException(ErrorCode.RATE_LIMITED,
      "too many requests (" + c.name() + ": " + c.limit() + " per " + c.windowSeconds() + " s)", details);
  }
}
