package io.mediamesh.gateway;

import io.mediamesh.common.bus.Caller;
import io.mediamesh.gateway.ratelimit.Decision;
import io.mediamesh.gateway.ratelimit.LeasedLimiter;
import io.mediamesh.gateway.ratelimit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.Locale;

/**
 * The rate-limit classes an operation can declare with {@code x-rate-limit}, and how each is keyed:
 * <ul>
 *   <li>{@code login}: class {@code login-ip} by client IP before the body is read, then {@code login-account}
 *   by the (hashed, lower-cased) e-mail of the body; both exact (one Redis decision each);</li>
 *   <li>{@code writes}: class {@code writes} by user id; exact;</li>
 *   <li>{@code search}: class {@code search} by client IP; leased ({@link LeasedLimiter});</li>
 *   <li>{@code reads}: class {@code reads} by user id, else client IP; leased.</li>
 * </ul>
 * Every decision adds itself to the answer's {@code RateLimit-Policy} and {@code RateLimit} fields; a refusal
 * is a 429 with {@code Retry-After}.
 */
public final class RatePolicies {

  public static final String LOGIN = "login";
  public static final String WRITES = "writes";
  public static final String SEARCH = "search";
  public static final String READS = "reads";

  private final RateLimiter limiter;
  private final GatewayConfig config;
  private final LeasedLimiter search;
  private final LeasedLimiter reads;

  RatePolicies(RateLimiter limiter, GatewayConfig config, Vertx vertx) {
    this.limiter = limiter;
    this.config = config;
    this.search = config.rateClasses().containsKey(SEARCH) ? new LeasedLimiter(limiter, config.rateClass(SEARCH)) : null;
    this.reads = config.rateClasses().containsKey(READS) ? new LeasedLimiter(limiter, config.rateClass(READS)) : null;
    if (search != null || reads != null) {
      vertx.setPeriodic(5_000, id -> {
        if (search != null) {
          search.sweep();
        }
        if (reads != null) {
          reads.sweep();
        }
      });
    }
  }

  /** Decisions that need only the caller and address. */
  Future<Void> beforeBody(String policy, Caller caller, String ip, List<Decision> decisions,
                          HttpServerResponse response) {
    if (policy == null) {
      return Future.succeededFuture();
    }
    return switch (policy) {
      case LOGIN -> apply(limiter.acquire(config.rateClass("login-ip"), ip, 1), decisions, response);
      case WRITES -> apply(limiter.acquire(config.rateClass(WRITES), userOrIp(caller, ip), 1), decisions, response);
      case SEARCH -> apply(leased(search, SEARCH).acquire(ip), decisions, response);
      case READS -> reads(userOrIp(caller, ip), decisions, response);
      default -> Future.failedFuture(new IllegalStateException("unknown x-rate-limit " + policy));
    };
  }

  /** Decisions keyed by the validated body (login per account). */
  Future<Void> afterBody(String policy, GatewayRequest request, List<Decision> decisions,
                         HttpServerResponse response) {
    if (!LOGIN.equals(policy)) {
      return Future.succeededFuture();
    }
    String email = request.body().getString("email", "").trim().toLowerCase(Locale.ROOT);
    return apply(limiter.acquire(config.rateClass("login-account"), hash(email), 1), decisions, response);
  }

  /** The anonymous-read check; local (no Redis round trip) while the lease lasts. */
  public Future<Void> reads(String key, List<Decision> decisions, HttpServerResponse response) {
    LeasedLimiter l = leased(reads, READS);
    Decision local = l.tryLocal(key, System.currentTimeMillis());
    if (local != null) {
      return decide(local, decisions, response);
    }
    return apply(l.acquire(key), decisions, response);
  }

  private LeasedLimiter leased(LeasedLimiter l, String name) {
    if (l == null) {
      throw new IllegalStateException("rate-limit class '" + name + "' is used by the contract but not configured");
    }
    return l;
  }

  private Future<Void> apply(Future<Decision> decision, List<Decision> decisions, HttpServerResponse response) {
    return decision.compose(d -> decide(d, decisions, response));
  }

  private Future<Void> decide(Decision d, List<Decision> decisions, HttpServerResponse response) {
    decisions.add(d);
    response.putHeader("RateLimit-Policy", Decision.policyHeader(decisions));
    response.putHeader("RateLimit", Decision.rateLimitHeader(decisions));
    return d.allowed() ? Future.succeededFuture() : Future.failedFuture(d.refusal());
  }

  private static String userOrIp(Caller caller, String ip) {
    return caller.authenticated() ? "u:" + caller.userId() : "ip:" + ip;
  }

  /** Keys by account without keeping e-mail addresses in Redis. */
  static String hash(String value) {
    return Hashes.sha256Hex(value, 16);
  }
}
