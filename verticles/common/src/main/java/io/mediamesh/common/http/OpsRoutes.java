package io.mediamesh.common.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** {@code /health} (liveness), {@code /ready} (dependencies) and {@code /metrics} (Prometheus) on a router. */
public final class OpsRoutes {

  private OpsRoutes() {
  }

  public static void mount(Router router, HealthChecks liveness, HealthChecks readiness,
                           PrometheusMeterRegistry registry) {
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }
}
