package io.mediamesh.gateway;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.http.Contracts;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.gateway.http.BodyReader;
import io.mediamesh.gateway.http.ClientAddress;
import io.mediamesh.gateway.http.ContractValidator;
import io.mediamesh.gateway.http.Failures;
import io.mediamesh.gateway.http.SecurityHeaders;
import io.mediamesh.gateway.http.SwaggerUi;
import io.mediamesh.gateway.ratelimit.RateLimiter;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A gateway's router, built from its OpenAPI contract with vertx-web-openapi-router: every operation of the
 * contract becomes a route, and each route runs one pipeline before its handler:
 * <ol>
 *   <li>the caller: a Bearer token verified with the kernel's {@code TokenVerifier} (an invalid token is a 401
 *   even where anonymous callers are allowed), else anonymous;</li>
 *   <li>the operation's {@code x-roles} from the contract, checked with the kernel's {@link Access}: 401 without a
 *   valid token, 403 without the role, before any body is read or any downstream called;</li>
 *   <li>the operation's {@code x-rate-limit} class ({@link RatePolicies});</li>
 *   <li>the body, read with the size limit (413), then the whole request validated against the contract (400
 *   naming the field);</li>
 *   <li>the handler, whose {@link Reply} is written with conditional-GET support ({@code If-None-Match} → 304).</li>
 * </ol>
 * Mounting fails when an operation of the contract has no handler, so contract and code cannot drift apart.
 */
public final class GatewayRouter {

  /** Operations the kernel serves on the parent router ({@code /health}, {@code /ready}, {@code /metrics}). */
  static final Set<String> KERNEL_OPERATIONS = Set.of("health", "ready", "metrics");

  private final ServiceContext service;
  private final GatewayConfig config;
  private final OpenAPIContract contract;
  private final String contractResource;
  private final RequestValidator validator;
  private final ClientAddress clientAddress;
  private final RateLimiter limiter;
  private final RatePolicies ratePolicies;
  private final Map<String, Downstream> downstreams = new LinkedHashMap<>();
  private final Map<String, Handler<RoutingContext>> pipelines = new HashMap<>();
  private final List<Handler<RoutingContext>> rootHandlers = new ArrayList<>();
  private final List<FrontLane> frontLanes = new ArrayList<>();

  private GatewayRouter(ServiceContext service, GatewayConfig config, OpenAPIContract contract,
                        String contractResource) {
    this.service = service;
    this.config = config;
    this.contract = contract;
    this.contractResource = contractResource;
    this.validator = new ContractValidator(service.vertx(), contract);
    this.clientAddress = new ClientAddress(config.trustedProxies());
    this.limiter = new RateLimiter(service.redis(), service.config().name(), config.rateLimitFailOpen(),
      service.registry());
    this.ratePolicies = new RatePolicies(limiter, config, service.vertx());
    for (String name : service.config().downstream()) {
      downstreams.put(name, new Downstream(service.vertx(), service.config().name(), name, service.bus(),
        config.breaker(), service.registry()));
    }
  }

  /** Loads the contract from the classpath (where the build copied {@code openapi/}) and parses it. */
  public static Future<GatewayRouter> load(ServiceContext service, String contractResource) {
    GatewayConfig config = GatewayConfig.from(service.config().raw().copy().put("name", service.config().name()));
    // Vert.x's file system falls back to the classpath, where the build copied the contracts
    return OpenAPIContract.from(service.vertx(), contractResource)
      .map(contract -> new GatewayRouter(service, config, contract, contractResource));
  }

  public GatewayConfig config() {
    return config;
  }

  public OpenAPIContract contract() {
    return contract;
  }

  public RateLimiter limiter() {
    return limiter;
  }

  public RatePolicies ratePolicies() {
    return ratePolicies;
  }

  public Downstream downstream(String service) {
    Downstream d = downstreams.get(service);
    if (d == null) {
      throw new IllegalArgumentException(service + " is not a downstream of " + this.service.config().name()
        + " (services." + this.service.config().name() + ".downstream)");
    }
    return d;
  }

  /** A handler every request of this router passes first (CORS, for instance). */
  public GatewayRouter rootHandler(Handler<RoutingContext> handler) {
    rootHandlers.add(handler);
    return this;
  }

  /** The handler of operation {@code operationId}, behind the checks the contract declares for it. */
  public GatewayRouter handle(String operationId, OperationHandler handler) {
    return handle(operationId, handler, null);
  }

  /**
   * As {@link #handle(String, OperationHandler)}, for a GET whose path ends in one parameter, with a probe of
   * answers available without the handler (a near cache). It may only answer what a validated request produced
   * before (entries keyed by values that passed validation), so skipping validation cannot let an invalid request
   * through. It is asked in two places:
   * <ul>
   *   <li>in the <b>front lane</b>, for anonymous requests without an {@code Origin} (no token to verify, no CORS
   *   to apply): ahead of the contract's router, by a prefix match of the raw path instead of its regex routes,
   *   then the operation's rate limit, then the answer. A miss or a refusal goes on to the router, which repeats
   *   the checks in full (a refusal consumed no quota). This is what keeps a cached read cheap;</li>
   *   <li>in the pipeline, for every other request, after the caller, roles and rate limit.</li>
   * </ul>
   */
  public GatewayRouter handle(String operationId, OperationHandler handler, FastPath fastPath) {
    Operation op = operation(operationId);
    OperationPolicy policy = policy(op);
    String param = fastPath == null ? null : frontLane(op, policy, fastPath);
    pipelines.put(operationId, ctx -> {
      String ip = clientAddress.of(ctx.request());
      List<io.mediamesh.gateway.ratelimit.Decision> decisions = new ArrayList<>(2);
      ctx.put(RatePolicies.DECISIONS, decisions);
      admit(ctx, policy, ip, decisions)
        .compose(caller -> {
          Reply fast = fastPath == null ? null : fastPath.probe(ctx.pathParam(param));
          if (fast != null) {
            return Future.succeededFuture(fast);
          }
          return readAndValidate(ctx, op).compose(validated -> {
            GatewayRequest request = new GatewayRequest(ctx, caller, ip, validated);
            return ratePolicies.afterBody(policy.rateLimit(), request, decisions, ctx.response())
              .compose(x -> handler.handle(request));
          });
        })
        .onSuccess(reply -> write(ctx, reply))
        .onFailure(ctx::fail);
    });
    return this;
  }

  /** One operation answered in the front lane: its path up to the parameter, its policy, its probe. */
  private record FrontLane(String prefix, OperationPolicy policy, FastPath probe) {
  }

  /** Adds the front lane of a GET {@code .../{param}} open to anonymous callers; returns the parameter's name. */
  private String frontLane(Operation op, OperationPolicy policy, FastPath probe) {
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
      frontLanes.add(new FrontLane(path.substring(0, open), policy, probe));
    }
    return path.substring(open + 1, path.length() - 1);
  }

  /** The front lane (see {@link #handle(String, OperationHandler, FastPath)}): answers a hit, else goes on. */
  private void front(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.method() != HttpMethod.GET || request.headers().contains(HttpHeaders.AUTHORIZATION)
      || request.headers().contains(HttpHeaders.ORIGIN)) {
      ctx.next();
      return;
    }
    String path = request.path();
    for (FrontLane lane : frontLanes) {
      int from = lane.prefix().length();
      if (path.length() > from && path.startsWith(lane.prefix()) && path.indexOf('/', from) < 0) {
        String value = path.substring(from);
        Reply hit = lane.probe().probe(value);
        if (hit == null) {
          break;
        }
        List<io.mediamesh.gateway.ratelimit.Decision> decisions = new ArrayList<>(1);
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
            Reply still = lane.probe().probe(value);
            if (still != null) {
              answer(ctx, still);
            } else {
              ctx.next();
            }
          })
          .onFailure(refused -> ctx.next());
        return;
      }
    }
    ctx.next();
  }

  /** An operation whose body streams to its handler unread (the checks before the body still apply). */
  public GatewayRouter stream(String operationId, StreamHandler handler) {
    Operation op = operation(operationId);
    OperationPolicy policy = policy(op);
    pipelines.put(operationId, ctx -> {
      admit(ctx, policy, clientAddress.of(ctx.request()), new ArrayList<>(1))
        .onSuccess(caller -> handler.handle(ctx, caller))
        .onFailure(ctx::fail);
    });
    return this;
  }

  /**
   * Builds the router from the contract and mounts it, with the kernel's trace handler in front (the parent's),
   * security headers, {@code /openapi.yaml}, Swagger UI at {@code /docs}, and the one failure handler.
   */
  public void mount() {
    List<String> missing = new ArrayList<>();
    RouterBuilder builder = RouterBuilder.create(service.vertx(), contract);
    rootHandlers.forEach(builder::rootHandler);
    for (OpenAPIRoute route : builder.getRoutes()) {
      String id = route.getOperation().getOperationId();
      // the pipeline does security and validation itself, in the order above
      route.setDoSecurity(false).setDoValidation(false);
      Handler<RoutingContext> pipeline = pipelines.get(id);
      if (pipeline != null) {
        route.addHandler(pipeline);
      } else if (KERNEL_OPERATIONS.contains(id)) {
        route.addHandler(RoutingContext::next); // answered by the parent router before this one is reached
      } else {
        missing.add(id);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(contractResource + ": operations without a handler: " + missing);
    }
    Router parent = service.router();
    parent.route().order(-1).handler(SecurityHeaders.handler());
    SwaggerUi.mount(parent);
    Router router = builder.createRouter();
    router.route().failureHandler(Failures.handler());
    if (!frontLanes.isEmpty()) {
      parent.route().handler(this::front);
    }
    parent.route("/*").subRouter(router);
    parent.route().handler(this::methodNotAllowed);
  }

  private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
    HttpMethod.PATCH, HttpMethod.DELETE);

  /** A path of the contract asked with a method it does not have: 405 with {@code Allow}, not a 404. */
  private void methodNotAllowed(RoutingContext ctx) {
    String path = ctx.request().path();
    List<String> allowed = new ArrayList<>(2);
    for (HttpMethod m : METHODS) {
      if (m != ctx.request().method() && contract.findOperation(path, m) != null) {
        allowed.add(m.name());
      }
    }
    if (allowed.isEmpty()) {
      ctx.next();
      return;
    }
    ctx.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
    ctx.fail(405);
  }

  /** A front-lane answer, marked as the CORS handler marks the pipeline's when CORS is on. */
  private void answer(RoutingContext ctx, Reply hit) {
    if (!config.corsOrigins().isEmpty()) {
      ctx.response().headers().add(HttpHeaders.VARY, "Origin");
    }
    write(ctx, hit);
  }

  /** The contract document, as {@code GET /openapi.yaml} answers it. */
  public OperationHandler contractDocument() {
    Buffer body = Contracts.load(contractResource);
    return req -> Future.succeededFuture(Reply.content("text/plain; charset=utf-8", body)
      .header("Cache-Control", "public, max-age=300"));
  }

  private Operation operation(String operationId) {
    Operation op = contract.operation(operationId);
    if (op == null) {
      throw new IllegalArgumentException(contractResource + " has no operation " + operationId);
    }
    return op;
  }

  /** What the contract says about an operation: who may call it and its rate-limit class. */
  record OperationPolicy(Access access, String rateLimit) {
  }

  static OperationPolicy policy(Operation op) {
    Object roles = op.getExtensions().get("x-roles");
    if (!(roles instanceof JsonArray list) || list.isEmpty()) {
      throw new IllegalStateException("operation " + op.getOperationId() + " declares no x-roles");
    }
    Access access;
    if (list.contains("anonymous")) {
      access = Access.anyone();
    } else if (list.contains("authenticated")) {
      access = Access.authenticated();
    } else {
      EnumSet<Role> set = EnumSet.noneOf(Role.class);
      for (Object r : list) {
        set.add(Role.parse(String.valueOf(r)).orElseThrow(() -> new IllegalStateException(
          "operation " + op.getOperationId() + ": unknown role in x-roles: " + r)));
      }
      access = new Access(false, set);
    }
    Object rate = op.getExtensions().get("x-rate-limit");
    return new OperationPolicy(access, rate == null ? null : String.valueOf(rate));
  }

  /** The checks before the body: the request is paused, the caller verified, the roles and rate limit applied. */
  private Future<Caller> admit(RoutingContext ctx, OperationPolicy policy, String ip,
                               List<io.mediamesh.gateway.ratelimit.Decision> decisions) {
    ctx.request().pause();
    return authorize(ctx, policy).compose(caller -> ratePolicies.beforeBody(policy.rateLimit(), caller, ip, decisions,
      ctx.response()).map(caller));
  }

  private Future<Caller> authorize(RoutingContext ctx, OperationPolicy policy) {
    String authorization = ctx.request().getHeader("Authorization");
    Future<Caller> caller = authorization == null
      ? Future.succeededFuture(Caller.anonymous())
      : service.tokens().verifyBearer(authorization);
    return caller.map(c -> {
      policy.access().check(c);
      return c;
    });
  }

  private Future<ValidatedRequest> readAndValidate(RoutingContext ctx, Operation op) {
    boolean hasBody = op.getRequestBody() != null || ctx.request().method() == HttpMethod.POST
      || ctx.request().method() == HttpMethod.PUT || ctx.request().method() == HttpMethod.PATCH;
    Future<Buffer> body = hasBody ? BodyReader.read(ctx.request(), config.maxBodyBytes())
      : Future.succeededFuture(Buffer.buffer());
    return body.compose(b -> RequestUtils.extract(ctx.request(), op, () -> Future.succeededFuture(b)))
      .compose(req -> validator.validate(req, op.getOperationId()));
  }

  /** Writes a reply; a GET whose ETag the client already has is answered 304 without a body. */
  public static void write(RoutingContext ctx, Reply reply) {
    HttpServerResponse response = ctx.response();
    // replaces defaults of the same name (Cache-Control), keeps the rest (security and rate-limit fields)
    MultiMap out = response.headers();
    reply.headers().forEach((name, value) -> out.remove(name));
    reply.headers().forEach(out::add);
    String etag = reply.headers().get("ETag");
    if (etag != null && ctx.request().method() == HttpMethod.GET && reply.status() == 200
      && io.mediamesh.gateway.ETags.matches(ctx.request().getHeader("If-None-Match"), etag)) {
      response.setStatusCode(304).end();
      return;
    }
    response.setStatusCode(reply.status());
    if (reply.body() == null) {
      response.end();
    } else {
      response.putHeader("Content-Type", reply.contentType()).end(reply.body());
    }
  }

  /** Fails with a ServiceException; a convenience for handlers. */
  public static <T> Future<T> fail(ServiceException e) {
    return Future.failedFuture(e);
  }
}
