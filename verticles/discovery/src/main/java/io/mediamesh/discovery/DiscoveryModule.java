package io.mediamesh.discovery;

import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.readmodel.ContentProjection;
import io.mediamesh.common.readmodel.MediaUrls;
import io.mediamesh.common.readmodel.ReadModelModule;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.Set;

import static io.mediamesh.common.api.DiscoveryApi.operation;

/**
 * The discovery service: the public read model of published content (programs with their episodes, metadata and
 * media URLs), built only from content, metadata and media events; hot reads cache-aside in Redis with event-driven
 * eviction; trending and popular from views in Redis. Owns {@code discovery_db}. Bus API: {@link DiscoveryApi}.
 */
public final class DiscoveryModule implements ReadModelModule {

  public static final String NAME = DiscoveryApi.SERVICE;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Dependency> dependencies() {
    return EnumSet.of(Dependency.POSTGRES, Dependency.REDIS, Dependency.KAFKA);
  }

  @Override
  public Future<Void> start(ServiceContext ctx) {
    JsonObject conf = ctx.config().raw();
    ReadCache cache = new ReadCache(ctx.vertx(), ctx.redis(), ctx.registry());
    Views views = new Views(ctx.redis(), conf.getLong("viewDedupeWindowSeconds", 1800L),
      conf.getLong("trendingHalfLifeSeconds", 21_600L));
    DiscoveryService discovery = new DiscoveryService(new ReadModel(ctx.pool(), MediaUrls.from(ctx.platform().raw())),
      cache, views, conf.getLong("detailTtlSeconds", 300L) * 1000, conf.getLong("listTtlSeconds", 60L) * 1000);
    Access anyone = Access.anyone();
    ctx.busService()
      .handle(operation(DiscoveryApi.PROGRAMS_LIST), anyone, req -> discovery.programs(req.body()))
      .handle(operation(DiscoveryApi.PROGRAMS_GET), anyone, req -> discovery.program(req.body()))
      .handle(operation(DiscoveryApi.PROGRAMS_BATCH), anyone, req -> discovery.programsBatch(req.body()))
      .handle(operation(DiscoveryApi.PROGRAM_EPISODES), anyone, req -> discovery.episodesOf(req.body()))
      .handle(operation(DiscoveryApi.PROGRAM_EPISODES_BATCH), anyone, req -> discovery.episodesOfMany(req.body()))
      .handle(operation(DiscoveryApi.EPISODES_GET), anyone, req -> discovery.episode(req.body()))
      .handle(operation(DiscoveryApi.EPISODES_BATCH), anyone, req -> discovery.episodesBatch(req.body()))
      .handle(operation(DiscoveryApi.CATEGORIES), anyone, req -> discovery.categories())
      .handle(operation(DiscoveryApi.TRENDING), anyone, req -> discovery.trending(req.body()))
      .handle(operation(DiscoveryApi.POPULAR), anyone, req -> discovery.popular(req.body()))
      .handle(operation(DiscoveryApi.VIEWS_RECORD), anyone, req -> discovery.recordView(req.caller(), req.body()));
    return ctx.consumeBatches("read-model", ContentProjection.TOPICS, new DiscoveryProjector(ctx.vertx(), cache,
      ctx.config().raw().getLong("goneTtlSeconds", 604_800L)))
      .mapEmpty();
  }
}
