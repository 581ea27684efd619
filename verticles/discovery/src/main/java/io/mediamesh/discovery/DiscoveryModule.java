package io.mediamesh.discovery;

import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.readmodel.ContentProjection;
import io.mediamesh.common.readmodel.MediaUrls;
import io.mediamesh.common.readmodel.ReadModelModule;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.vertx.core.Future;

import java.util.EnumSet;
import java.util.Set;

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
    DiscoveryConfig config = DiscoveryConfig.from(ctx.config().raw());
    ReadCache cache = new ReadCache(ctx.vertx(), ctx.redis(), ctx.registry());
    Views views = new Views(ctx.redis(), config.viewDedupeWindowSeconds(), config.trendingHalfLifeSeconds());
    ReadModel model = new ReadModel(ctx.pool(), MediaUrls.from(ctx.platform().raw()));
    DiscoveryService discovery = new DiscoveryService(model, cache, views, config, ctx.clock());
    ctx.busService()
      .handle(DiscoveryApi.PROGRAMS_LIST, (q, caller) -> discovery.programs(caller, q))
      .handle(DiscoveryApi.PROGRAMS_GET, (q, caller) -> discovery.program(caller, q))
      .handle(DiscoveryApi.PROGRAMS_BATCH, (q, caller) -> discovery.programsBatch(caller, q))
      .handle(DiscoveryApi.PROGRAM_EPISODES, (q, caller) -> discovery.episodesOf(caller, q))
      .handle(DiscoveryApi.PROGRAM_EPISODES_BATCH, (q, caller) -> discovery.episodesOfMany(caller, q))
      .handle(DiscoveryApi.EPISODES_GET, (q, caller) -> discovery.episode(caller, q))
      .handle(DiscoveryApi.EPISODES_BATCH, (q, caller) -> discovery.episodesBatch(caller, q))
      .handle(DiscoveryApi.CATEGORIES, (q, caller) -> discovery.categories(caller))
      .handle(DiscoveryApi.TRENDING, (q, caller) -> discovery.trending(caller, q))
      .handle(DiscoveryApi.POPULAR, (q, caller) -> discovery.popular(caller, q))
      .handle(DiscoveryApi.VIEWS_RECORD, (q, caller) -> discovery.recordView(caller, q));
    return ctx.consumeBatches("read-model", ContentProjection.TOPICS,
        new DiscoveryProjector(ctx.vertx(), cache, config.goneTtlSeconds()))
      .mapEmpty();
  }
}
