package io.mediamesh.ingest.persistence;

import io.mediamesh.common.api.IngestApi.SourceType;
import io.mediamesh.ingest.domain.Source;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for sources; every method runs on the client (transaction) it is given. */
public final class SourceRepository {

  private static final String COLUMNS = "id, source_type, url, feed_key, mapping, interval_seconds, enabled, "
    + "next_run_at, created_by, created_at, updated_at";

  public Future<Void> insert(SqlClient db, Source s) {
    return db.preparedQuery("INSERT INTO sources (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        + "$11)")
      .execute(Tuple.tuple(Arrays.asList(s.id(), s.type().name(), s.url(), s.feedKey(), s.mapping(),
        s.intervalSeconds(), s.enabled(), s.nextRunAt(), s.createdBy(), s.createdAt(), s.updatedAt())))
      .mapEmpty();
  }

  public Future<List<Source>> list(SqlClient db, int size, long offset) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM sources ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2")
      .execute(Tuple.of(size, offset)).map(SourceRepository::all);
  }

  public Future<Long> count(SqlClient db) {
    return db.query("SELECT count(*) FROM sources").execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Deletes a source; its jobs stay (their source id becomes null). False when there was none. */
  public Future<Boolean> delete(SqlClient db, UUID id) {
    return db.preparedQuery("DELETE FROM sources WHERE id = $1").execute(Tuple.of(id)).map(r -> r.rowCount() == 1);
  }

  /** Enabled sources whose next run has come, locked, skipping any another instance holds. */
  public Future<List<Source>> lockDue(SqlClient tx, OffsetDateTime now, int limit) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM sources WHERE enabled AND next_run_at IS NOT NULL "
      + "AND next_run_at <= $2 ORDER BY next_run_at LIMIT $1 FOR UPDATE SKIP LOCKED")
      .execute(Tuple.of(limit, now)).map(SourceRepository::all);
  }

  /** The run after the one at {@code now}: an interval later, or none for a source without an interval. */
  public Future<Void> scheduleNext(SqlClient tx, UUID id, Integer intervalSeconds, OffsetDateTime now) {
    OffsetDateTime next = intervalSeconds == null ? null : now.plusSeconds(intervalSeconds);
    return tx.preparedQuery("UPDATE sources SET next_run_at = $2, updated_at = $3 WHERE id = $1")
      .execute(Tuple.tuple(Arrays.asList(id, next, now))).mapEmpty();
  }

  private static List<Source> all(RowSet<Row> rows) {
    List<Source> out = new ArrayList<>();
    rows.forEach(r -> out.add(map(r)));
    return out;
  }

  public static Optional<Source> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(map(it.next())) : Optional.empty();
  }

  private static Source map(Row r) {
    return new Source(r.getUUID("id"), SourceType.valueOf(r.getString("source_type")), r.getString("url"),
      r.getString("feed_key"), (JsonObject) r.getValue("mapping"), r.getInteger("interval_seconds"),
      r.getBoolean("enabled"), r.getOffsetDateTime("next_run_at"), r.getString("created_by"),
      r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }
}
