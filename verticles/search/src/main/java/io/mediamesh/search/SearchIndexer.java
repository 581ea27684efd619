package io.mediamesh.search;

import io.mediamesh.common.events.BatchEventHandler;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.readmodel.ContentProjection;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Keeps the index in step with the events: the batch goes into the content projection, then the documents of
 * everything it touched are refreshed once and logged as changed, all in the consumer's transaction (so a crash never
 * leaves a document behind its source rows, nor a change unlogged).
 */
final class SearchIndexer implements BatchEventHandler {

  /**
   * Consumers of different partitions run concurrently, and a document depends on rows other partitions write: an
   * episode's on its own content, metadata and media rows (three topics) and on its program's status. Each batch
   * therefore takes transaction-scoped advisory locks, after its own writes and in one global order, before
   * re-deriving documents: exclusive on every content id it touches, and shared on the program of every episode it
   * touches. Two batches that touch the same content, or a program and one of its episodes, then run one after the
   * other, and whichever refreshes second sees the other's committed rows (each statement reads the latest
   * commits), so no document keeps a stale part; batches touching different episodes of one program run side by
   * side. (An id whose content row is not there yet is locked as itself, which still orders it against the batch
   * that writes that row.)
   */
  private static final String LOCK_CONTENT = """
    SELECT count(*) FROM (
      SELECT CASE WHEN exclusive THEN pg_advisory_xact_lock(hashtextextended(k::text, 7))
                  ELSE pg_advisory_xact_lock_shared(hashtextextended(k::text, 7)) END
        FROM (SELECT k, bool_or(exclusive) AS exclusive
                FROM (SELECT t.id AS k, true AS exclusive FROM unnest($1::uuid[]) AS t(id)
                      UNION ALL
                      SELECT c.program_id, false
                        FROM unnest($1::uuid[]) AS t(id) JOIN rm_content c ON c.id = t.id
                       WHERE c.program_id IS NOT NULL) wanted
               GROUP BY k
               ORDER BY k) keys) locked""";

  private final LongConsumer committed;

  /** {@code committed} gets each batch's index generation after its commit (cached answers are then out of date). */
  SearchIndexer(LongConsumer committed) {
    this.committed = committed;
  }

  @Override
  public Future<AfterCommit> handle(List<EventEnvelope> events, SqlConnection tx) {
    Instant newest = events.stream().map(EventEnvelope::time).max(Instant::compareTo).orElseThrow();
    return ContentProjection.apply(events, tx).compose(touched ->
      tx.preparedQuery(LOCK_CONTENT).execute(Tuple.of((Object) touched.toArray(new UUID[0])))
        .compose(locked -> Documents.refresh(tx, touched))
        .compose(v -> IndexChanges.record(tx, touched, newest)))
      .map(generation -> (AfterCommit) () -> {
        committed.accept(generation);
        return Future.succeededFuture();
      });
  }
}
