package io.mediamesh.discoverygateway;

import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.SearchApi;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.Readiness;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.common.stream.PathTokens;
import io.mediamesh.common.stream.StreamSecret;
import io.mediamesh.gateway.GatewayRouter;
import io.mediamesh.storage.Storage;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandlerOptions;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The discovery gateway: the public REST and GraphQL edge, built from {@code openapi/discovery-v1.yaml}; optional
 * JWT, near cache kept coherent by the discovery service's invalidations, stale-if-error from Redis, CORS allowlist,
 * GraphiQL only when {@code graphql.graphiql} is on. Its {@code /ready} reports its Redis and downstream services.
 */
public final class DiscoveryGatewayModule implements ServiceModule {

  public static final String NAME = "discovery-gateway";
  static final String CONTRACT = "openapi/discovery-v1.yaml";

  private MessageConsumer<JsonObject> invalidations;
  private Storage storage;
  private StreamBytes streams;

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
    DiscoveryGatewayConfig config = DiscoveryGatewayConfig.from(context.config().raw());
    ResponseCache cache = new ResponseCache(context.vertx(), context.redis(), "dg:cache:",
      config.cache().nearMaxEntries(), config.cache().staleTtlSeconds(), context.registry(), context.clock());
    invalidations = context.vertx().eventBus().<JsonObject>consumer(DiscoveryApi.INVALIDATED,
      msg -> cache.invalidate(DiscoveryApi.Invalidation.from(msg.body())));
    if (context.platform().s3().configured()) {
      storage = Storage.create(context.platform().s3());
    }
    return invalidations.completion()
      .compose(v -> context.vertx().executeBlocking(() -> StreamSecret.resolve(context.platform().raw())))
      .compose(secret -> GatewayRouter.load(context, CONTRACT).map(gateway -> {
        List<String> origins = gateway.config().corsOrigins();
        if (!origins.isEmpty()) {
          CorsHandler cors = CorsHandler.create().addOrigins(origins)
            .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
              HttpMethod.OPTIONS))
            .allowedHeaders(Set.of("Authorization", "Content-Type", "If-None-Match", "Range"))
            .exposedHeaders(Set.of("ETag", "RateLimit", "RateLimit-Policy", "Retry-After", "X-Cache",
              "Content-Range", "Content-Length", "Accept-Ranges"))
            .maxAgeSeconds(600);
          // an origin off the allowlist gets the plain answer without CORS fields (the browser keeps it from the
          // page); the API is public, so refusing such requests outright would protect nothing
          gateway.rootHandler(ctx -> {
            String origin = ctx.request().getHeader("Origin");
            if (origin == null || origins.contains(origin)) {
              cors.handle(ctx);
            } else {
              ctx.next();
            }
          });
        }
        CachedReads reads = new CachedReads(cache, config.cache().maxAgeSeconds(), context.clock());
        DiscoveryGraphql graphql = new DiscoveryGraphql(gateway.downstream(DiscoveryApi.SERVICE),
          gateway.downstream(SearchApi.SERVICE), gateway.ratePolicies(), config.graphql());
        new DiscoveryRoutes(gateway, reads, config.cache()).register(graphql);
        if (storage != null) {
          streams = new StreamBytes(context.vertx(), new PathTokens(secret), storage, context.redis(),
            context.clock(), config.streamRequestsPerMinute());
        }
        Handler<RoutingContext> stream = streams != null ? streams
          : ctx -> ctx.fail(new ServiceException(ErrorCode.UNAVAILABLE, "stream bytes need object storage: "
            + "configure s3.endpoint for the discovery gateway"));
        gateway.raw("streamFile", stream).raw("streamRenditionFile", stream);
        if (config.graphql().graphiql()) {
          context.router().route("/graphiql/*").subRouter(GraphiQLHandler.create(context.vertx(),
            new GraphiQLHandlerOptions().setEnabled(true).setGraphQLUri("/graphql")).router());
        }
        gateway.mount();
        return null;
      }));
  }

  @Override
  public Future<Void> stop() {
    Future<Void> closed = streams == null ? Future.succeededFuture() : streams.close();
    return closed.compose(v -> invalidations == null ? Future.succeededFuture() : invalidations.unregister())
      .onComplete(ar -> {
        if (storage != null) {
          storage.close();
        }
      });
  }
}
