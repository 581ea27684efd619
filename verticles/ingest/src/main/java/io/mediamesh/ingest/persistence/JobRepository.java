package io.mediamesh.ingest.persistence;

import io.mediamesh.common.api.IngestApi.JobStatus;
import io.mediamesh.common.api.IngestApi.SourceType;
import io.mediamesh.common.db.Where;
import io.mediamesh.common.validation.Paging;
import io.mediamesh.ingest.domain.Job;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for jobs; every method runs on the client (transaction) it is given. Times come from the service's clock
 * ({@code now}), so due times, backoffs and leases all move with it.
 */
public final class JobRepository {

  public static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "updatedAt", "updated_at",
    "status", "status");
  private static final String COLUMNS = "id, source_id, source_type, source_url, feed_key, mapping, status, attempts, "
    + "items_imported, items_updated, items_skipped, program_id, error, run_at, created_by, created_at, updated_at, "
    + "started_at, finished_at, version";
  /** What is read back: the written columns and why items were skipped (set when the job completes). */
  private static final String READ_COLUMNS = COLUMNS + ", skip_reasons";
  /** Serialises claims across instances, so "no other job of this feed is RUNNING" cannot race. */
  private static final long CLAIM_LOCK = 0x1_6E57_0001L;

  public Future<Void> insert(SqlClient db, Job j) {
    return db.preparedQuery("INSERT INTO jobs (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        + "$12, $13, $14, $15, $16, $17, $18, $19, $20)")
      .execute(Tuple.tuple(Arrays.asList(j.id(), j.sourceId(), j.sourceType().name(), j.sourceUrl(), j.feedKey(),
        j.mapping(), j.status().name(), j.attempts(), j.itemsImported(), j.itemsUpdated(), j.itemsSkipped(),
        j.programId(), j.error(), j.runAt(), j.createdBy(), j.createdAt(), j.updatedAt(), j.startedAt(),
        j.finishedAt(), j.version())))
      .mapEmpty();
  }

  public Future<Optional<Job>> byId(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + READ_COLUMNS + " FROM jobs WHERE id = $1").execute(Tuple.of(id))
      .map(JobRepository::first);
  }

  public Future<Optional<Job>> lock(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + READ_COLUMNS + " FROM jobs WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
      .map(JobRepository::first);
  }

  public Future<List<Job>> list(SqlClient db, JobStatus status, UUID sourceId, Paging paging) {
    Where w = filter(status, sourceId, 3);
    return db.preparedQuery("SELECT " + READ_COLUMNS + " FROM jobs" + w.sql() + " ORDER BY " + paging.orderBy()
        + " LIMIT $1 OFFSET $2")
      .execute(w.tuple(paging.size(), paging.offset())).map(JobRepository::all);
  }

  public Future<Long> count(SqlClient db, JobStatus status, UUID sourceId) {
    Where w = filter(status, sourceId, 1);
    return db.preparedQuery("SELECT count(*) FROM jobs" + w.sql()).execute(w.tuple())
      .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Void> delete(SqlClient db, UUID id) {
    return db.preparedQuery("DELETE FROM jobs WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  /**
   * Claims the next due PENDING job whose feed has no RUNNING job: RUNNING with a lease, one more attempt. Run it
   * in a transaction: the advisory lock (held to commit) makes claims one at a time across instances, so two
   * instances never run the same feed at once.
   */
  public Future<Optional<Job>> claim(SqlClient tx, OffsetDateTime now, long leaseSeconds) {
    return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(CLAIM_LOCK))
      .compose(v -> tx.preparedQuery("UPDATE jobs SET status = 'RUNNING', attempts = attempts + 1, "
          + "lease_until = $2, started_at = $1, updated_at = $1, version = version + 1 "
          + "WHERE id = (SELECT j.id FROM jobs j WHERE j.status = 'PENDING' AND j.run_at <= $1 "
          + "AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.status = 'RUNNING' AND r.feed_key = j.feed_key) "
          + "ORDER BY j.run_at, j.id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " + READ_COLUMNS)
        .execute(Tuple.of(now, now.plusSeconds(leaseSeconds))))
      .map(JobRepository::first);
  }

  /** Extends the claim of a job still RUNNING; false when it is not (any more). */
  public Future<Boolean> renewLease(SqlClient db, UUID id, OffsetDateTime now, long leaseSeconds) {
    return db.preparedQuery("UPDATE jobs SET lease_until = $2 WHERE id = $1 AND status = 'RUNNING'")
      .execute(Tuple.of(id, now.plusSeconds(leaseSeconds))).map(rows -> rows.rowCount() == 1);
  }

  /** RUNNING jobs whose lease ran out (their instance died or hung), locked, skipping any held elsewhere. */
  public Future<List<Job>> lockExpired(SqlClient tx, OffsetDateTime now, int limit) {
    return tx.preparedQuery("SELECT " + READ_COLUMNS + " FROM jobs WHERE status = 'RUNNING' AND lease_until < $2 "
      + "ORDER BY lease_until LIMIT $1 FOR UPDATE SKIP LOCKED").execute(Tuple.of(limit, now)).map(JobRepository::all);
  }

  /** Finishes a RUNNING job as COMPLETED with its counts and program. */
  public Future<Job> complete(SqlClient tx, UUID id, int imported, int updated, int skipped, JsonObject skipReasons,
                              UUID programId, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE jobs SET status = 'COMPLETED', items_imported = $2, items_updated = $3, "
        + "items_skipped = $4, program_id = $5, error = NULL, lease_until = NULL, finished_at = $6, "
        + "updated_at = $6, version = version + 1, skip_reasons = $7 WHERE id = $1 RETURNING " + READ_COLUMNS)
      .execute(Tuple.of(id, imported, updated, skipped, programId, now, skipReasons))
      .map(rows -> first(rows).orElseThrow());
  }

  /**
   * Puts a job back to PENDING, due {@code delayMs} after {@code now} (a retry's backoff), keeping the error it
   * had.
   */
  public Future<Job> requeue(SqlClient tx, UUID id, String error, OffsetDateTime now, long delayMs,
                             boolean resetAttempts) {
    return tx.preparedQuery("UPDATE jobs SET status = 'PENDING', error = $2, run_at = $3, lease_until = NULL, "
        + "finished_at = NULL, attempts = CASE WHEN $4 THEN 0 ELSE attempts END, updated_at = $5, "
        + "version = version + 1 WHERE id = $1 RETURNING " + READ_COLUMNS)
      .execute(Tuple.of(id, error, now.plus(Duration.ofMillis(delayMs)), resetAttempts, now))
      .map(rows -> first(rows).orElseThrow());
  }

  public Future<Job> fail(SqlClient tx, UUID id, String error, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE jobs SET status = 'FAILED', error = $2, lease_until = NULL, finished_at = $3, "
        + "updated_at = $3, version = version + 1 WHERE id = $1 RETURNING " + READ_COLUMNS)
      .execute(Tuple.of(id, error, now)).map(rows -> first(rows).orElseThrow());
  }

  /** Whether a source has a job not yet finished (a scheduled run then waits for it instead of piling up). */
  public Future<Boolean> hasUnfinished(SqlClient db, UUID sourceId) {
    return db.preparedQuery("SELECT 1 FROM jobs WHERE source_id = $1 AND status IN ('PENDING', 'RUNNING') LIMIT 1")
      .execute(Tuple.of(sourceId)).map(rows -> rows.size() > 0);
  }

  private static Where filter(JobStatus status, UUID sourceId, int firstParam) {
    return Where.from(firstParam).eq("status", status == null ? null : status.name()).eq("source_id", sourceId);
  }

  private static Optional<Job> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(map(it.next())) : Optional.empty();
  }

  private static List<Job> all(RowSet<Row> rows) {
    List<Job> out = new ArrayList<>();
    rows.forEach(r -> out.add(map(r)));
    return out;
  }

  private static Job map(Row r) {
    return new Job(r.getUUID("id"), r.getUUID("source_id"), SourceType.valueOf(r.getString("source_type")),
      r.getString("source_url"), r.getString("feed_key"), (JsonObject) r.getValue("mapping"),
      JobStatus.valueOf(r.getString("status")), r.getInteger("attempts"), r.getInteger("items_imported"),
      r.getInteger("items_updated"), r.getInteger("items_skipped"), (JsonObject) r.getValue("skip_reasons"),
      r.getUUID("program_id"), r.getString("error"),
      r.getOffsetDateTime("run_at"), r.getString("created_by"), r.getOffsetDateTime("created_at"),
      r.getOffsetDateTime("updated_at"), r.getOffsetDateTime("started_at"), r.getOffsetDateTime("finished_at"),
      r.getInteger("version"));
  }
}
