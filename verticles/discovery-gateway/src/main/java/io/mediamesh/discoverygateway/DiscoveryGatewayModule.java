package io.mediamesh.discoverygateway;

import io.mediamesh.common.http.Contracts;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.Readiness;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.vertx.core.Future;

import java.util.EnumSet;
import java.util.Set;

/**
 * The discovery gateway: an HTTP entry point. Its {@code /ready} reports its own Redis and every downstream service
 * (asked over the clustered event bus), so one call tells whether the discovery side of the platform can serve.
 */
public final class DiscoveryGatewayModule implements ServiceModule {

  public static final String NAME = "discovery-gateway";
  static final String CONTRACT = "openapi/discovery-v1.yaml";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Dependency> dependencies() {
    return EnumSet.of(Dependency.REDIS);
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    context.config().downstream().forEach(service -> Readiness.downstream(context.readiness(), context.bus(), service));
    context.router().get("/openapi.yaml").handler(Contracts.serve(CONTRACT, "application/yaml"));
    return Future.succeededFuture();
  }
}
