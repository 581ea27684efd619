package io.mediamesh.gateway;

import io.mediamesh.common.bus.Caller;
import io.mediamesh.gateway.http.ClientAddress;
import io.mediamesh.gateway.ratelimit.Decision;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;

import java.util.ArrayList;
import java.util.List;

/**
 * The lane ahead of the contract's router for cached reads: anonymous GETs without an {@code Origin} (no token to
 * verify, no CORS to apply) of an operation with a {@link FastPath}, matched by a prefix of the raw path instead of
 * the router's regex routes, then the operation's rate limit, then the probe's answer. A miss or a refusal goes on
 * to the router, whose pipeline repeats the checks in full (a refusal consumed no quota). This is what keeps a cached
 * read cheap. A probe may only answer for values a validated request asked for before, so skipping validation here
 * cannot let an invalid request through.
 */
final class FrontLane {

  /** One operation answered here: its path up to the parameter, its policy, its probe. */
  private record Lane(String prefix, OperationPolicy policy, FastPath probe) {
  }

  /** The lane a path belongs to, and the value of the lane's parameter in it. */
  record Match(String prefix, String value) {
  }

  private final List<Lane> lanes = new ArrayList<>();
  private final RatePolicies ratePolicies;
  private final ClientAddress clientAddress;
  private final boolean cors;

  /** {@code cors}: whether the router answers CORS (a front-lane answer is then marked as varying by Origin). */
  FrontLane(RatePolicies ratePolicies, ClientAddress clientAddress, boolean cors) {
    this.ratePolicies = ratePolicies;
    this.clientAddress = clientAddress;
    this.cors = cors;
  }

  /**
   * Adds the lane of a GET {@code .../{param}} (only when open to anonymous callers: the lane has no token to
   * verify); answers the parameter's name. Fails for any other shape of operation.
   */
  String add(Operation op, OperationPolicy policy, FastPath probe) {
    String path = op.getOpenAPIPath();
    int open = path.lastIndexOf('{');
    // one parameter in all: a query or header parameter would be ignored (and not validated) by a cached answer
    if (op.getHttpMethod() != HttpMethod.GET || open < 0 || !path.endsWith("}") || path.indexOf('{') != open
      || path.charAt(open - 1) != '/' || op.getParameters().size() != 1) {
      throw new IllegalArgumentException(op.getOperationId() + ": a fast path needs a GET whose only parameter "
        + "ends its path, not " + op.getHttpMethod() + " " + path + " with " + op.getParameters().size()
        + " parameters");
    }
    if (policy.access().anonymousAllowed()) {
      lanes.add(new Lane(path.substring(0, open), policy, probe));
    }
    return path.substring(open + 1, path.length() - 1);
  }

  boolean isEmpty() {
    return lanes.isEmpty();
  }

  /** The first lane whose prefix a raw path extends by one non-empty segment, with that segment; null if none. */
  Match match(String path) {
    Lane lane = lane(path);
    return lane == null ? null : new Match(lane.prefix(), path.substring(lane.prefix().length()));
  }

  private Lane lane(String path) {
    for (Lane lane : lanes) {
      int from = lane.prefix().length();
      if (path.length() > from && path.startsWith(lane.prefix()) && path.indexOf('/', from) < 0) {
        return lane;
      }
    }
    return null;
  }

  /** Answers a hit, else goes on to the router. */
  void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.method() != HttpMethod.GET || request.headers().contains(HttpHeaders.AUTHORIZATION)
      || request.headers().contains(HttpHeaders.ORIGIN)) {
      ctx.next();
      return;
    }
    String path = request.path();
    Lane lane = lane(path);
    String value = lane == null ? null : path.substring(lane.prefix().length());
    Reply hit = lane == null ? null : lane.probe().probe(value, io.mediamesh.common.bus.Caller.anonymous());
    if (hit == null) {
      ctx.next();
      return;
    }
    List<Decision> decisions = new ArrayList<>(1);
    Future<Void> decided = ratePolicies.beforeBody(lane.policy().rateLimit(), Caller.anonymous(),
      clientAddress.of(request), decisions, ctx.response());
    if (decided.succeeded()) {
      answer(ctx, hit); // decided locally, at once: nothing can have changed meanwhile
      return;
    }
    decided
      .onSuccess(v -> {
        // asked again: the decision waited on Redis, and an invalidation may have come meanwhile (the pipeline
        // then answers, and counts this request a second time: only in that race)
        Reply still = lane.probe().probe(value, io.mediamesh.common.bus.Caller.anonymous());
        if (still != null) {
          answer(ctx, still);
        } else {
          ctx.next();
        }
      })
      .onFailure(refused -> ctx.next());
  }

  /** A front-lane answer, marked as the CORS handler marks the pipeline's when CORS is on. */
  private void answer(RoutingContext ctx, Reply hit) {
    if (cors) {
      ctx.response().headers().add(HttpHeaders.VARY, "Origin");
    }
    ReplyWriter.write(ctx, hit);
  }
}
