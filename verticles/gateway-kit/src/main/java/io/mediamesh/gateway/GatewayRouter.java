package io.mediamesh.gateway;

import io.mediamesh.common.http.Contracts;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.gateway.http.ClientAddress;
import io.mediamesh.gateway.http.ContractValidator;
import io.mediamesh.gateway.http.Failures;
import io.mediamesh.gateway.http.SecurityHeaders;
import io.mediamesh.gateway.http.SwaggerUi;
import io.mediamesh.gateway.ratelimit.RateLimiter;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A gateway's router, built from its OpenAPI contract with vertx-web-openapi-router: every operation of the
 * contract becomes a route running the {@link OperationPipeline} (caller, {@code x-roles}, rate limit, body,
 * validation) before its handler, as its {@link OperationPolicy} says. Reads with a {@link FastPath} are also
 * answered from the {@link FrontLane} ahead of the router. Mounting fails when an operation of the contract has no
 * handler, or a route forwards elsewhere than its {@code x-bus}, so contract and code cannot drift apart.
 */
public final class GatewayRouter {

  /** Operations the kernel serves on the parent router ({@code /health}, {@code /ready}, {@code /metrics}). */
  private static final Set<String> KERNEL_OPERATIONS = Set.of("health", "ready", "metrics");
  private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
    HttpMethod.PATCH, HttpMethod.DELETE);

  private final ServiceContext service;
  private final GatewayConfig config;
  private final OpenAPIContract contract;
  private final String contractResource;
  private final RatePolicies ratePolicies;
  private final OperationPipeline pipeline;
  private final FrontLane frontLane;
  private final Map<String, Downstream> downstreams = new LinkedHashMap<>();
  private final Map<String, Handler<RoutingContext>> routes = new HashMap<>();
  private final List<Handler<RoutingContext>> rootHandlers = new ArrayList<>();

  private GatewayRouter(ServiceContext service, GatewayConfig config, OpenAPIContract contract,
                        String contractResource) {
    this.service = service;
    this.config = config;
    this.contract = contract;
    this.contractResource = contractResource;
    ClientAddress clientAddress = new ClientAddress(config.trustedProxies());
    RateLimiter limiter = new RateLimiter(service.redis(), service.config().name(), config.rateLimitFailOpen(),
      service.registry());
    this.ratePolicies = new RatePolicies(limiter, config, service.vertx());
    this.pipeline = new OperationPipeline(service::tokens, ratePolicies, clientAddress,
      new ContractValidator(service.vertx(), contract), config.maxBodyBytes());
    this.frontLane = new FrontLane(ratePolicies, clientAddress, !config.corsOrigins().isEmpty());
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
   * through. It is asked in two places: in the {@link FrontLane}, for anonymous requests without an {@code Origin},
   * ahead of the contract's router; and in the pipeline, for every other request, after the caller, roles and rate
   * limit.
   */
  public GatewayRouter handle(String operationId, OperationHandler handler, FastPath fastPath) {
    Operation op = operation(operationId);
    OperationPolicy policy = OperationPolicy.of(op);
    if (handler.forwardsTo() != null) {
      policy.checkForwardsTo(handler.forwardsTo());
    }
    String param = fastPath == null ? null : frontLane.add(op, policy, fastPath);
    routes.put(operationId, pipeline.operation(op, policy, handler, fastPath, param));
    return this;
  }

  /** An operation whose body streams to its handler unread (the checks before the body still apply). */
  public GatewayRouter stream(String operationId, StreamHandler handler) {
    routes.put(operationId, pipeline.stream(OperationPolicy.of(operation(operationId)), handler));
    return this;
  }

  /**
   * An operation answered by a plain handler, without the pipeline (no caller, roles, rate limit or validation):
   * for routes whose authorization is in the URL itself, such as signed stream bytes. The contract must declare it
   * open to {@code anonymous}.
   */
  public GatewayRouter raw(String operationId, Handler<RoutingContext> handler) {
    OperationPolicy policy = OperationPolicy.of(operation(operationId));
    if (!policy.access().equals(io.mediamesh.common.bus.Access.anyone())) {
      throw new IllegalStateException("operation " + operationId + " is served without checks: its x-roles must be "
        + "[anonymous]");
    }
    routes.put(operationId, handler);
    return this;
  }

  /** The contract document, as {@code GET /openapi.yaml} answers it. */
  public OperationHandler contractDocument() {
    Buffer body = Contracts.load(contractResource);
    return req -> Future.succeededFuture(Reply.content("text/plain; charset=utf-8", body)
      .header("Cache-Control", "public, max-age=300"));
  }

  /**
   * Builds the router from the contract and mounts it, with the kernel's trace handler in front (the parent's),
   * security headers, {@code /openapi.yaml}, Swagger UI at {@code /docs}, the front lane, and the one failure
   * handler.
   */
  public void mount() {
    List<String> missing = new ArrayList<>();
    RouterBuilder builder = RouterBuilder.create(service.vertx(), contract);
    rootHandlers.forEach(builder::rootHandler);
    for (OpenAPIRoute route : builder.getRoutes()) {
      String id = route.getOperation().getOperationId();
      // the pipeline does security and validation itself, in its own order
      route.setDoSecurity(false).setDoValidation(false);
      Handler<RoutingContext> handler = routes.get(id);
      if (handler != null) {
        route.addHandler(handler);
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
    if (!frontLane.isEmpty()) {
      parent.route().handler(frontLane::handle);
    }
    parent.route("/*").subRouter(router);
    parent.route().handler(this::methodNotAllowed);
  }

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

  private Operation operation(String operationId) {
    Operation op = contract.operation(operationId);
    if (op == null) {
      throw new IllegalArgumentException(contractResource + " has no operation " + operationId);
    }
    return op;
  }
}
