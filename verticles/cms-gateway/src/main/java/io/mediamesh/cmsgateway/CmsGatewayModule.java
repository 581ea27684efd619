package io.mediamesh.cmsgateway;

import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.Readiness;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.gateway.GatewayRouter;
import io.vertx.core.Future;

import java.util.EnumSet;
import java.util.Set;

/**
 * The cms gateway: the internal REST edge for editors and admins, built from {@code openapi/cms-v1.yaml}. Its
 * {@code /ready} reports its own Redis and every downstream service (asked over the clustered event bus).
 */
public final class CmsGatewayModule implements ServiceModule {

  public static final String NAME = "cms-gateway";
  static final String CONTRACT = "openapi/cms-v1.yaml";

  private MediaUploadProxy uploads;

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
    return GatewayRouter.load(context, CONTRACT).map(gateway -> {
      uploads = MediaUploadProxy.create(context, gateway);
      new CmsRoutes(gateway, uploads, context.vertx(), context.config().raw().getInteger("maxProgressStreams", 1000))
        .register();
      gateway.mount();
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    return uploads == null ? Future.succeededFuture() : uploads.close();
  }
}
