package io.mediamesh.search;

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
import io.vertx.kafka.admin.KafkaAdminClient;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.mediamesh.common.api.SearchApi.operation;

/**
 * The search service: a full-text index of published programs and episodes, built only from content, metadata and
 * media events (and a reindex that pages through the CMS). Owns {@code search_db}. Bus API: {@link SearchApi}.
 */
public final class SearchModule implements ReadModelModule {

  public static final String NAME = SearchApi.SERVICE;
  static final String CONSUMER = "index";

  private KafkaAdminClient admin;

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
    SearchEngine engine = new PostgresSearchEngine(ctx.pool(), MediaUrls.from(ctx.platform().raw()));
    Reindexer reindexer = new Reindexer(ctx.pool(), ctx.bus(), engine);
    admin = KafkaAdminClient.create(ctx.vertx(), KafkaClients.admin(ctx.platform().kafka()));
    // the consumer's name is its Kafka group: a second index (e.g. a rebuild beside the live one) takes another
    String consumer = ctx.config().raw().getString("indexConsumer", CONSUMER);
    IndexStatus status = new IndexStatus(ctx.pool(), admin, engine, NAME + "." + consumer);
    ctx.busService()
      .handle(operation(SearchApi.QUERY), Access.anyone(), req -> engine.search(SearchQuery.from(req.body())))
      .handle(operation(SearchApi.SUGGEST), Access.anyone(), req -> {
        Fields f = Fields.of(req.body());
        String q = f.text("q", true, SearchQuery.MAX_QUERY_LENGTH);
        int limit = f.integer("limit", 10, 1, 20);
        f.validate();
        return engine.suggest(q, limit);
      })
      .handle(operation(SearchApi.STATUS), Access.roles(Role.ADMIN, Role.EDITOR), req -> status.get())
      .handle(operation(SearchApi.REINDEX), Access.roles(Role.ADMIN), req -> reindexer.start(req.caller()));
    // several consumers of one group split the partitions, so indexing uses more than one core; rows are written in
    // id order, so their transactions never wait on each other in a cycle
    int consumers = ctx.config().raw().getInteger("indexConsumers", 2);
    SearchIndexer indexer = new SearchIndexer(engine);
    List<Future<?>> started = new ArrayList<>();
    for (int i = 0; i < consumers; i++) {
      started.add(ctx.consumeBatches(consumer, ContentProjection.TOPICS, indexer));
    }
    return Future.all(started).mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    return admin == null ? Future.succeededFuture() : admin.close();
  }
}
