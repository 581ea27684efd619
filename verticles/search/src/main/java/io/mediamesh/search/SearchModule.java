package io.mediamesh.search;

import io.mediamesh.common.api.Limits;
import io.mediamesh.common.api.SearchApi;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.events.KafkaClients;
import io.mediamesh.common.readmodel.ContentProjection;
import io.mediamesh.common.readmodel.MediaUrls;
import io.mediamesh.common.readmodel.ReadModelModule;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

import static io.mediamesh.common.api.SearchApi.operation;

/**
 * The search service: a full-text index of published programs and episodes, built only from content, metadata and
 * media events (and a reindex that pages through the CMS). Owns {@code search_db}, the index of record; queries are
 * answered by an in-memory copy of it ({@code engine: lucene}, the default, {@link LuceneSearchEngine}) or by
 * PostgreSQL itself ({@code engine: postgres}). Bus API: {@link SearchApi}.
 */
public final class SearchModule implements ReadModelModule {

  public static final String NAME = SearchApi.SERVICE;
  static final String CONSUMER = "index";

  private static final Logger LOG = LoggerFactory.getLogger(SearchModule.class);

  private KafkaAdminClient admin;
  private Vertx vertx;
  private ResultCache cache;
  private LuceneSearchEngine copy;
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
    JsonObject conf = ctx.config().raw();
    JsonObject cacheConf = conf.getJsonObject("cache", new JsonObject());
    cache = new ResultCache(cacheConf.getInteger("maxEntries", 20_000),
      cacheConf.getLong("maxBytes", 64L * 1024 * 1024), ctx.registry());
    vertx = ctx.vertx();
    MediaUrls urls = MediaUrls.from(ctx.platform().raw());
    PostgresSearchEngine store = new PostgresSearchEngine(ctx.pool(), urls,
      conf.getInteger("rankWindow", PostgresSearchEngine.RANK_WINDOW));
    String engineName = conf.getString("engine", "lucene");
    SearchEngine engine;
    LongConsumer committed;
    Future<Void> following;
    switch (engineName) {
      case "lucene" -> {
        JsonObject lucene = conf.getJsonObject("lucene", new JsonObject());
        // the copy's files: a directory of their own under this one, deleted when the service stops
        Path directory = Path.of(lucene.getString("directory", System.getProperty("java.io.tmpdir")));
        copy = new LuceneSearchEngine(vertx, store, ctx.pool(), urls, directory,
          lucene.getInteger("threads", Runtime.getRuntime().availableProcessors()), lucene.getInteger("queue", 1_000),
          ctx.registry(), cache::changed);
        engine = copy;
        // answers come from the copy: cached ones go out of date when it applies a change, not at the commit
        committed = generation -> copy.wake();
        following = copy.start(lucene.getLong("pollMs", 100L));
      }
      case "postgres" -> {
        engine = store;
        committed = cache::committed;
        following = cache.watch(vertx, ctx.pool(), cacheConf.getLong("pollMs", 100L));
      }
      default -> {
        return Future.failedFuture(new IllegalArgumentException(
          "services.search.engine must be lucene or postgres, not " + engineName));
      }
    }
    long retention = conf.getLong("changesRetentionSeconds", 600L);
    pruning = vertx.setPeriodic(Math.max(1_000, retention * 100), id -> IndexChanges.prune(ctx.pool(), retention)
      .onFailure(err -> LOG.warn("could not prune the document changes: {}", err.getMessage())));
    Reindexer reindexer = new Reindexer(ctx.pool(), ctx.bus(), engine);
    admin = KafkaAdminClient.create(ctx.vertx(), KafkaClients.admin(ctx.platform().kafka()));
    // the consumer's name is its Kafka group: a second index (e.g. a rebuild beside the live one) takes another
    String consumer = conf.getString("indexConsumer", CONSUMER);
    IndexStatus status = new IndexStatus(ctx.pool(), admin, engine, NAME + "." + consumer, engineName, copy);
    ctx.busService()
      .handle(operation(SearchApi.QUERY), Access.anyone(), req -> search(engine, cache, SearchQuery.from(req.body())))
      .handle(operation(SearchApi.SUGGEST), Access.anyone(), req -> {
        Fields f = Fields.of(req.body());
        String q = f.text("q", true, SearchQuery.MAX_QUERY_LENGTH);
        int limit = f.integer("limit", 10, 1, Limits.SUGGEST_LIMIT_MAX);
        f.validate();
        return cache.get(new JsonArray().add("suggest").add(q).add(limit).encode(), () -> engine.suggest(q, limit));
      })
      .handle(operation(SearchApi.STATUS), Access.roles(Role.ADMIN, Role.EDITOR), req -> status.get())
      .handle(operation(SearchApi.REINDEX), Access.roles(Role.ADMIN), req -> reindexer.start(req.caller()));
    // several consumers of one group split the partitions, so indexing uses more than one core; rows are written in
    // id order, so their transactions never wait on each other in a cycle
    // one per partition by default: with fewer, one consumer holds two partitions of a topic and the other waits
    // (two consumers of three partitions indexed 1,900 events/s, three 3,600)
    int consumers = conf.getInteger("indexConsumers", ctx.platform().kafka().partitions());
    SearchIndexer indexer = new SearchIndexer(engine, committed);
    List<Future<?>> started = new ArrayList<>();
    for (int i = 0; i < consumers; i++) {
      started.add(ctx.consumeBatches(consumer, ContentProjection.TOPICS, indexer));
    }
    started.add(following);
    return Future.all(started).mapEmpty();
  }

  /**
   * A search through the cache; a query that finds nothing is corrected (typos) and, when that changes it, searched
   * again, also through the cache (the cache hands out answers of their own, so the engine may mark it): a
   * misspelling of a popular word costs one correction, not another full search.
   */
  static Future<JsonObject> search(SearchEngine engine, ResultCache cache, SearchQuery query) {
    return cache.get(query.key(), () -> engine.searchOrCorrect(query,
      again -> cache.get(again.key(), () -> engine.search(again))));
  }

  @Override
  public Future<Void> stop() {
    if (cache != null) {
      cache.stop(vertx);
    }
    if (pruning != -1) {
      vertx.cancelTimer(pruning);
    }
    Future<Void> copyStopped = copy == null ? Future.succeededFuture() : copy.stop();
    return copyStopped.compose(v -> admin == null ? Future.succeededFuture() : admin.close());
  }
}
