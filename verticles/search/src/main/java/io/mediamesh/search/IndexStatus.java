package io.mediamesh.search;

import io.mediamesh.common.db.Times;
import io.mediamesh.common.readmodel.ContentProjection;
import io.mediamesh.search.lucene.LuceneSearchEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The status answer: documents indexed, when the newest applied event happened, how many events wait in Kafka for
 * the index consumer (end offsets minus its committed offsets, over every partition of its topics), the last
 * reindex, and the state of this instance's in-memory copy.
 */
final class IndexStatus {

  private final Pool pool;
  private final KafkaAdminClient admin;
  private final String group;
  private final String engineName;
  private final LuceneSearchEngine copy;

  /**
   * The status of the index consumed by Kafka group {@code group}, answered by engine {@code engineName};
   * {@code copy} is the in-memory copy answering queries, or null when PostgreSQL does.
   */
  IndexStatus(Pool pool, KafkaAdminClient admin, String group, String engineName, LuceneSearchEngine copy) {
    this.pool = pool;
    this.admin = admin;
    this.group = group;
    this.engineName = engineName;
    this.copy = copy;
  }

  Future<JsonObject> get() {
    Future<Documents.Counts> counts = Documents.counts(pool);
    Future<Row> state = pool.query("SELECT * FROM index_state").execute().map(rows -> rows.iterator().next());
    Future<Long> lag = lag().otherwise((Long) null);
    Future<JsonObject> copied = copy == null ? Future.succeededFuture() : state.compose(s ->
      copy.status(s.getLong("generation")));
    return Future.all(counts, state, lag, copied).map(all -> {
      Row s = state.result();
      Documents.Counts n = counts.result();
      return new JsonObject()
        .put("documents", n.documents())
        .put("programs", n.programs())
        .put("episodes", n.episodes())
        .put("engine", engineName)
        .put("copy", copied.result())
        .put("lastEventAt", Times.text(s.getOffsetDateTime("last_event_at")))
        .put("consumerLag", lag.result())
        .put("reindex", new JsonObject()
          .put("state", s.getString("reindex_state"))
          .put("startedAt", Times.text(s.getOffsetDateTime("reindex_started")))
          .put("finishedAt", Times.text(s.getOffsetDateTime("reindex_finished")))
          .put("documents", s.getLong("reindex_documents"))
          .put("error", s.getString("reindex_error")));
    });
  }

  private Future<Long> lag() {
    return admin.describeTopics(List.copyOf(ContentProjection.TOPICS)).compose(topics -> {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      topics.forEach((name, description) -> description.getPartitions().forEach(p ->
        latest.put(new TopicPartition(name, p.getPartition()), OffsetSpec.LATEST)));
      var ends = admin.listOffsets(latest);
      Future<Map<TopicPartition, OffsetAndMetadata>> committed = admin.listConsumerGroupOffsets(group);
      return Future.all(ends, committed).map(both -> {
        long total = 0;
        for (var end : ends.result().entrySet()) {
          OffsetAndMetadata done = committed.result().get(end.getKey());
          total += Math.max(0, end.getValue().getOffset() - (done == null ? 0 : done.getOffset()));
        }
        return total;
      });
    });
  }
}
