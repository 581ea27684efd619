package io.mediamesh.common.http;

import io.mediamesh.common.auth.DevSecrets;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * {@code /health} (liveness, public), {@code /ready} and {@code /metrics} on a router. Metrics and the details of
 * readiness (every dependency by name) describe the JVM and the topology, so they are for operators: they need
 * {@code Authorization: Bearer <ops token>}. Without it, {@code /ready} answers only {@code {"status": "UP"}} (200)
 * or {@code "DOWN"} (503), enough for a load balancer, and {@code /metrics} a 401.
 */
public final class OpsRoutes {

  private OpsRoutes() {
  }

  /** The operator token: {@code ops.token} ({@code MEDIAMESH_OPS_TOKEN}), else a development one. Blocking. */
  public static String token(JsonObject root) {
    String configured = root.getJsonObject("ops", new JsonObject()).getString("token", "").strip();
    if (!configured.isEmpty()) {
      if (configured.length() < 16) {
        throw new io.mediamesh.common.config.ConfigException("ops.token must be at least 16 characters");
      }
      return configured;
    }
    return DevSecrets.resolve(DevSecrets.dir(root), "ops.token", 32, "ops.token");
  }

  public static void mount(Router router, HealthChecks liveness, HealthChecks readiness,
                           PrometheusMeterRegistry registry, Supplier<String> token) {
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    Handler<RoutingContext> details = HealthCheckHandler.createWithHealthChecks(readiness);
    router.get("/ready").handler(ctx -> {
      if (operator(ctx, token)) {
        details.handle(ctx);
        return;
      }
      readiness.checkStatus().onComplete(ar -> {
        boolean up = ar.succeeded() && ar.result().getUp();
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .end(new JsonObject().put("status", up ? "UP" : "DOWN").encode());
      });
    });
    Handler<RoutingContext> scrape = PrometheusScrapingHandler.create(registry);
    router.get("/metrics").handler(ctx -> {
      if (operator(ctx, token)) {
        scrape.handle(ctx);
      } else {
        ctx.fail(new ServiceException(ErrorCode.UNAUTHENTICATED,
          "metrics need the operator token (Authorization: Bearer <ops.token>)"));
      }
    });
  }

  private static boolean operator(RoutingContext ctx, Supplier<String> token) {
    String expected = token.get();
    String header = ctx.request().getHeader("Authorization");
    if (expected == null || header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(header.substring(7).strip().getBytes(StandardCharsets.UTF_8),
      expected.getBytes(StandardCharsets.UTF_8));
  }
}
