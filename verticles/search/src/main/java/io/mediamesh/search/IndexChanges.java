package io.mediamesh.search;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

/**
 * The documents' change feed (db/search V4): every transaction that re-derives documents ends by taking the next
 * index generation and logging the content ids it re-derived under it. Answers cached for an older generation are
 * then out of date ({@link ResultCache}), and copies of the index re-read those ids ({@link LuceneSearchEngine}).
 */
final class IndexChanges {

  private static final Logger LOG = LoggerFactory.getLogger(IndexChanges.class);

  /**
   * Last in its transaction, so the one row every change writes is locked only until the commit; that lock also
   * makes generations commit in order. {@code $2}, when given, is the newest applied event's time.
   */
  private static final String RECORD = """
    WITH bumped AS (
      UPDATE index_state SET generation = generation + 1,
             last_event_at = CASE WHEN $2::timestamptz IS NULL THEN last_event_at
                                  ELSE greatest(coalesce(last_event_at, $2), $2) END
      RETURNING generation
    ), logged AS (
      INSERT INTO document_changes (generation, id)
      SELECT b.generation, t.id FROM bumped b, unnest($1::uuid[]) AS t(id)
    )
    SELECT generation FROM bumped""";

  /**
   * Drops changes older than the retention and moves {@code changes_from} past the newest generation dropped (a
   * copy that has not applied that one must reload). One statement, so a reader sees both or neither.
   */
  private static final String PRUNE = """
    WITH gone AS (
      DELETE FROM document_changes WHERE changed_at < now() - make_interval(secs => $1) RETURNING generation
    )
    UPDATE index_state SET changes_from = greatest(changes_from, (SELECT max(generation) + 1 FROM gone))
     WHERE EXISTS (SELECT 1 FROM gone)""";

  private IndexChanges() {
  }

  /** Records that {@code ids} were re-derived; the generation this transaction takes (visible once it commits). */
  static Future<Long> record(SqlConnection tx, Set<UUID> ids, Instant newestEvent) {
    Tuple params = Tuple.of(ids.toArray(new UUID[0]), newestEvent == null ? null : newestEvent.atOffset(ZoneOffset.UTC));
    return tx.preparedQuery(RECORD).execute(params).map(rows -> rows.iterator().next().getLong(0));
  }

  /** Prunes changes older than {@code retentionSeconds}; safe to run from every instance at once. */
  static Future<Void> prune(Pool pool, long retentionSeconds) {
    return pool.preparedQuery(PRUNE).execute(Tuple.of((double) retentionSeconds)).mapEmpty();
  }

  /**
   * Prunes every tenth of the retention (at most once a second), so the feed keeps about the retention; answers the
   * timer.
   */
  static long pruneEvery(Vertx vertx, Pool pool, long retentionSeconds) {
    return vertx.setPeriodic(Math.max(1_000, retentionSeconds * 100), id -> prune(pool, retentionSeconds)
      .onFailure(err -> LOG.warn("could not prune the document changes: {}", err.getMessage())));
  }
}
