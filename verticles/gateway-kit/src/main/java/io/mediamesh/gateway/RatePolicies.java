package io.mediamesh.gateway;

import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.gateway.http.ClientAddress;
import io.mediamesh.gateway.ratelimit.Decision;
import io.mediamesh.gateway.ratelimit.LeasedLimiter;
import io.mediamesh.gateway.ratelimit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rate-limit classes an operation can declare with {@code x-rate-limit}, and how each is keyed (an address is
 * keyed as {@link ClientAddress#limitKey}: IPv6 by its /64):
 * <ul>
 *   <li>{@code login}: before the body, {@code login-ip} by client address and at most {@code loginInFlightPerIp}
 *   of its logins in flight at once (each costs a password hash); after it, {@code login-account-ip} by account and
 *   address, then the looser {@code login-account} by account alone (the hashed, lower-cased e-mail). An attacker's
 *   wrong passwords exhaust their own account-and-address quota long before the account's, so they cannot lock the
 *   owner out; only an attack from many addresses meets the account's bound. Shared by every gateway (auth is one
 *   service behind both);</li>
 *   <li>{@code refresh}: {@code refresh-ip} by client address, then {@code refresh-token} by the (hashed) token
 *   presented, so bogus refreshes spend only their own quotas; shared by every gateway;</li>
 *   <li>{@code pin}: a profile switch, which may carry a PIN guess: {@code login-ip} by client address, the quota of
 *   password guesses (the auth service also locks a profile after wrong PINs in a row);</li>
 *   <li>{@code writes}: class {@code writes} by user id; exact;</li>
 *   <li>{@code search}: class {@code search} by client address; leased ({@link LeasedLimiter});</li>
 *   <li>{@code reads}: class {@code reads} by user id, else client address; leased.</li>
 * </ul>
 * Every decision adds itself to the answer's {@code RateLimit-Policy} and {@code RateLimit} fields; a refusal
 * is a 429 with {@code Retry-After}.
 */
public final class RatePolicies {

  public static final String LOGIN = "login";
  public static final String REFRESH = "refresh";
  public static final String PIN = "pin";
  public static final String WRITES = "writes";
  public static final String SEARCH = "search";
  public static final String READS = "reads";
  /** Where a request's decisions so far are kept (its routing context), so a handler's charges join them. */
  static final String DECISIONS = "mediamesh.rate.decisions";

  private final RateLimiter limiter;
  private final GatewayConfig config;
  private final LeasedLimiter search;
  private final LeasedLimiter reads;
  private final int loginInFlightPerIp;
  /** Logins of each address this instance is waiting on (event-loop only). */
  private final Map<String, Integer> loginsInFlight = new HashMap<>();

  RatePolicies(RateLimiter limiter, GatewayConfig config, Vertx vertx) {
    this.limiter = limiter;
    this.config = config;
    this.loginInFlightPerIp = config.raw().getInteger("loginInFlightPerIp", 2);
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
    String address = ClientAddress.limitKey(ip);
    return switch (policy) {
      case LOGIN, PIN -> apply(limiter.acquireShared(config.rateClass("login-ip"), address, 1), decisions, response);
      case REFRESH -> apply(limiter.acquireShared(config.rateClass("refresh-ip"), address, 1), decisions, response);
      case WRITES -> apply(limiter.acquire(config.rateClass(WRITES), userOrIp(caller, address), 1), decisions,
        response);
      case SEARCH -> apply(leased(search, SEARCH).acquire(address), decisions, response);
      case READS -> reads(userOrIp(caller, address), decisions, response);
      default -> Future.failedFuture(new IllegalStateException("unknown x-rate-limit " + policy));
    };
  }

  /** Decisions keyed by the validated body (login per account, refresh per token). */
  Future<Void> afterBody(String policy, GatewayRequest request, List<Decision> decisions,
                         HttpServerResponse response) {
    if (LOGIN.equals(policy)) {
      String account = hash(request.body().getString("email", "").trim().toLowerCase(Locale.ROOT));
      String address = ClientAddress.limitKey(request.clientIp());
      return apply(limiter.acquireShared(config.rateClass("login-account-ip"), account + "@" + address, 1),
        decisions, response)
        .compose(v -> apply(limiter.acquireShared(config.rateClass("login-account"), account, 1), decisions,
          response));
    }
    if (REFRESH.equals(policy)) {
      String token = hash(request.body().getString("refreshToken", ""));
      return apply(limiter.acquireShared(config.rateClass("refresh-token"), token, 1), decisions, response);
    }
    return Future.succeededFuture();
  }

  /**
   * Runs a login, at most {@code loginInFlightPerIp} at once per address in this instance: each costs the auth
   * service a password hash, so one address may not queue a flood of them in front of everyone else's. Over the
   * bound: a 429 with {@code Retry-After: 1}, before anything is sent.
   */
  public <T> Future<T> inFlight(String ip, java.util.function.Supplier<Future<T>> login) {
    String key = ClientAddress.limitKey(ip);
    int now = loginsInFlight.getOrDefault(key, 0);
    if (now >= loginInFlightPerIp) {
      return Future.failedFuture(new ServiceException(ErrorCode.RATE_LIMITED,
        "too many logins in progress from this address; retry shortly",
        new JsonObject().put("policy", "login-in-flight").put("retryAfterSeconds", 1)));
    }
    loginsInFlight.put(key, now + 1);
    Future<T> call;
    try {
      call = login.get();
    } catch (RuntimeException e) {
      call = Future.failedFuture(e);
    }
    return call.andThen(ar -> loginsInFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1));
  }

  /**
   * Charges {@code cost} more of a class to the request's caller, once the handler knows what the request will do
   * (a GraphQL query's searches and reads, by their cost): exact, in Redis. Keyed as the operation's own decision
   * for that class would be: {@code search} by address, others by user or address. Nothing to charge: allowed.
   */
  public Future<Void> charge(GatewayRequest request, String className, int cost) {
    if (cost <= 0) {
      return Future.succeededFuture();
    }
    String address = ClientAddress.limitKey(request.clientIp());
    String key = SEARCH.equals(className) ? address : userOrIp(request.caller(), address);
    List<Decision> decisions = request.context().get(DECISIONS);
    return apply(limiter.acquire(config.rateClass(className), key, cost),
      decisions == null ? new java.util.ArrayList<>(1) : decisions, request.context().response());
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

  private static String userOrIp(Caller caller, String address) {
    return caller.authenticated() ? "u:" + caller.userId() : "ip:" + address;
  }

  /** Keys by account or token without keeping e-mail addresses or tokens in Redis. */
  static String hash(String value) {
    return Hashes.sha256Hex(value, 16);
  }
}
