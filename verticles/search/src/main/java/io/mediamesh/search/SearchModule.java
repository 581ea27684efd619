package io.mediamesh.search;

import io.mediamesh.common.api.SearchApi;
import io.mediamesh.common.events.KafkaClients;
import io.mediamesh.common.readmodel.ContentProjection;
import io.mediamesh.common.readmodel.MediaUrls;
import io.mediamesh.common.readmodel.ReadModelModule;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.search.lucene.LuceneSearchEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The search service: a full-text index of published programs and episodes, built only from content, metadata and
 * media events (and a reindex that pages through the CMS). Owns {@code search_db}, the index of record; queries are
 * answered by an in-memory copy of it ({@code engine: lucene}, the default, {@link LuceneSearchEngine}) or by
 * PostgreSQL itself ({@code engine: postgres}). Bus API: {@link SearchApi}.
 */
public final class SearchModule implements ReadModelModule {

  public static final String NAME = SearchApi.SERVICE;
  static final String CONSUMER = "index";

  private Vertx vertx;
  private KafkaAdminClient admin;
  private ResultCache cache;
  private SearchEngines engines;
  private long pruning = -1;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Dependency> dependencies() {
    return EnumSet.of(Dependency.POSTGRES, Dependency.KAFKA);
  }

  @Override
  public Future<Void> start(ServiceContext ctx) {
    SearchConfig config = SearchConfig.from(ctx.config().raw(), ctx.platform().kafka().partitions());
    vertx = ctx.vertx();
    cache = new ResultCache(config.cache().maxEntries(), config.cache().maxBytes(), ctx.registry());
    engines = SearchEngines.create(config, vertx, ctx.pool(), ctx.registry(), cache);
    admin = KafkaAdminClient.create(vertx, KafkaClients.admin(ctx.platform().kafka()));
    SearchHandlers search = new SearchHandlers(engines.engine(), cache,
      new SearchReplies(MediaUrls.from(ctx.platform().raw())));
    IndexStatus status = new IndexStatus(ctx.pool(), admin, NAME + "." + config.indexConsumer(), config.engineName(),
      engines.copy());
    Reindexer reindexer = new Reindexer(ctx.pool(), ctx.bus());
    ctx.busService()
      .handle(SearchApi.QUERY, (q, caller) -> search.query(q.limitedTo(caller.ageLimit())))
      .handle(SearchApi.SUGGEST, (q, caller) -> search.suggest(q.limitedTo(caller.ageLimit())))
      .handle(SearchApi.STATUS, (q, caller) -> status.get())
      .handle(SearchApi.REINDEX, (q, caller) -> reindexer.start(caller));
    pruning = IndexChanges.pruneEvery(vertx, ctx.pool(), config.changesRetentionSeconds());
    SearchIndexer indexer = new SearchIndexer(engines::committed);
    // several consumers of one group split the partitions, so indexing uses more than one core; rows are written in
    // id order, so their transactions never wait on each other in a cycle
    List<Future<?>> started = new ArrayList<>();
    for (int i = 0; i < config.indexConsumers(); i++) {
      started.add(ctx.consumeBatches(config.indexConsumer(), ContentProjection.TOPICS, indexer));
    }
    started.add(engines.follow());
    return Future.all(started).mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    if (cache != null) {
      cache.stop(vertx);
    }
    if (pruning != -1) {
      vertx.cancelTimer(pruning);
    }
    Future<Void> engineStopped = engines == null ? Future.succeededFuture() : engines.stop();
    return engineStopped.compose(v -> admin == null ? Future.succeededFuture() : admin.close());
  }
}
