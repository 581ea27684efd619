package io.mediamesh.processing.jobs;

import io.mediamesh.common.api.ProcessingApi.JobList;
import io.mediamesh.common.api.ProcessingApi.JobStatus;
import io.mediamesh.common.api.ProcessingApi.JobType;
import io.mediamesh.common.api.ProcessingApi.Phase;
import io.mediamesh.common.db.Where;
import io.mediamesh.common.validation.Paging;
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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for jobs; every method runs on the client (transaction) it is given, with times from the service's clock. A
 * RUNNING job belongs to the instance named in {@code lease_owner}: only that instance's writes of progress and of
 * the end take effect, so an instance that lost its job (canceled, or recovered by another after its lease ran
 * out) can never overwrite what happened since.
 */
public final class JobRepository {

  public static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "updatedAt", "updated_at",
    "status", "status");
  private static final String COLUMNS = "id, type, media_id, status, phase, percent, eta_seconds, attempts, error, "
    + "params, output, created_by, run_at, lease_owner, expires_at, created_at, updated_at, started_at, finished_at, "
    + "version";
  /** A QUEUED job's place: 1 + the QUEUED jobs due before it. */
  private static final String POSITION = "CASE WHEN j.status = 'QUEUED' THEN (SELECT count(*) FROM jobs q "
    + "WHERE q.status = 'QUEUED' AND (q.run_at, q.id) < (j.run_at, j.id)) + 1 END AS queue_position";

  /** A job with its queue position (null unless QUEUED). */
  public record Placed(Job job, Integer queuePosition) {
    public JsonObject toJson() {
      return job.toJson(queuePosition);
    }
  }

  /** Inserts a job; false when it is a TRANSCODE of an asset that already has one QUEUED or RUNNING. */
  public Future<Boolean> insert(SqlClient db, Job j) {
    return db.preparedQuery("INSERT INTO jobs (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        + "$12, $13, $14, $15, $16, $17, $18, $19, $20) ON CONFLICT DO NOTHING")
      .execute(Tuple.tuple(Arrays.asList(j.id(), j.type().name(), j.mediaId(), j.status().name(),
        j.phase() == null ? null : j.phase().name(), j.percent(), j.etaSeconds(), j.attempts(), j.error(),
        j.params(), j.output(), j.createdBy(), j.runAt(), j.leaseOwner(), j.expiresAt(), j.createdAt(),
        j.updatedAt(), j.startedAt(), j.finishedAt(), j.version())))
      .map(rows -> rows.rowCount() == 1);
  }

  public Future<Optional<Placed>> placed(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + ", " + POSITION + " FROM jobs j WHERE id = $1").execute(Tuple.of(id))
      .map(rows -> {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(placed(it.next())) : Optional.empty();
      });
  }

  public Future<Optional<Job>> lock(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
      .map(JobRepository::first);
  }

  public Future<List<Placed>> list(SqlClient db, JobList q, String caller, Paging paging) {
    Where w = filter(q, caller, 3);
    return db.preparedQuery("SELECT " + COLUMNS + ", " + POSITION + " FROM jobs j" + w.sql() + " ORDER BY "
        + paging.orderBy() + " LIMIT $1 OFFSET $2")
      .execute(w.tuple(paging.size(), paging.offset()))
      .map(rows -> {
        List<Placed> out = new ArrayList<>();
        rows.forEach(r -> out.add(placed(r)));
        return out;
      });
  }

  public Future<Long> count(SqlClient db, JobList q, String caller) {
    Where w = filter(q, caller, 1);
    return db.preparedQuery("SELECT count(*) FROM jobs j" + w.sql()).execute(w.tuple())
      .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Jobs of an asset that are not finished, locked (an asset deleted: they are canceled). */
  public Future<List<Job>> lockUnfinished(SqlClient tx, UUID mediaId) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM jobs WHERE media_id = $1 AND status IN ('QUEUED', 'RUNNING') "
      + "FOR UPDATE").execute(Tuple.of(mediaId)).map(JobRepository::all);
  }

  /**
   * Claims the next due QUEUED job for {@code owner}: RUNNING, leased until {@code now + leaseSeconds}, one more
   * attempt. {@code SKIP LOCKED}: instances claiming at once take different jobs.
   */
  public Future<Optional<Job>> claim(SqlClient tx, String owner, OffsetDateTime now, long leaseSeconds) {
    return tx.preparedQuery("UPDATE jobs SET status = 'RUNNING', attempts = attempts + 1, lease_owner = $2, "
        + "lease_until = $3, phase = 'PROBING', percent = 0, eta_seconds = NULL, error = NULL, progress_at = $1, "
        + "started_at = coalesce(started_at, $1), updated_at = $1, version = version + 1 "
        + "WHERE id = (SELECT id FROM jobs WHERE status = 'QUEUED' AND run_at <= $1 ORDER BY run_at, id LIMIT 1 "
        + "FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
      .execute(Tuple.of(now, owner, now.plusSeconds(leaseSeconds)))
      .map(JobRepository::first);
  }

  /**
   * Records progress and extends the lease of a job this owner still runs: false when it does not any more
   * (canceled, or taken back after its lease ran out), and the owner must stop. {@code moved}: the job advanced
   * since the last write (the watchdog's clock restarts).
   */
  public Future<Boolean> progress(SqlClient db, UUID id, String owner, Phase phase, double percent, Integer eta,
                                  boolean moved, OffsetDateTime now, long leaseSeconds) {
    return db.preparedQuery("UPDATE jobs SET lease_until = $3, phase = $4, percent = $5, eta_seconds = $6, "
        + "progress_at = CASE WHEN $7 THEN $8 ELSE progress_at END, updated_at = $8 "
        + "WHERE id = $1 AND status = 'RUNNING' AND lease_owner = $2")
      .execute(Tuple.tuple(Arrays.asList(id, owner, now.plusSeconds(leaseSeconds), phase.name(), percent, eta, moved,
        now)))
      .map(rows -> rows.rowCount() == 1);
  }

  /** The seconds since a job of this owner last moved (for the watchdog), empty when it is no longer its. */
  public Future<Optional<Long>> stillFor(SqlClient db, UUID id, String owner, OffsetDateTime now) {
    return db.preparedQuery("SELECT extract(epoch FROM ($3 - progress_at))::bigint FROM jobs "
        + "WHERE id = $1 AND status = 'RUNNING' AND lease_owner = $2")
      .execute(Tuple.of(id, owner, now))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong(0)));
  }

  /** Publishes an intermediate output (a rung ready) of a job this owner still runs; empty when it does not. */
  public Future<Optional<Job>> output(SqlClient tx, UUID id, String owner, JsonObject output, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE jobs SET output = $3, progress_at = $4, updated_at = $4, version = version + 1 "
        + "WHERE id = $1 AND status = 'RUNNING' AND lease_owner = $2 RETURNING " + COLUMNS)
      .execute(Tuple.of(id, owner, output, now)).map(JobRepository::first);
  }

  /** SUCCEEDED with its output, if this owner still runs it. */
  public Future<Optional<Job>> succeed(SqlClient tx, UUID id, String owner, JsonObject output,
                                       OffsetDateTime expiresAt, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE jobs SET status = 'SUCCEEDED', output = $3, expires_at = $4, percent = 100, "
        + "phase = NULL, eta_seconds = NULL, error = NULL, lease_owner = NULL, lease_until = NULL, finished_at = $5, "
        + "updated_at = $5, version = version + 1 WHERE id = $1 AND status = 'RUNNING' AND lease_owner = $2 "
        + "RETURNING " + COLUMNS)
      .execute(Tuple.tuple(Arrays.asList(id, owner, output, expiresAt, now))).map(JobRepository::first);
  }

  /**
   * Back to QUEUED, due at {@code runAt} (a retry's backoff), keeping the error; from RUNNING of {@code owner}, or
   * (owner null) from any RUNNING (a lapsed lease) or finished state (an editor's retry).
   */
  public Future<Optional<Job>> requeue(SqlClient tx, UUID id, String owner, String error, OffsetDateTime runAt,
                                       boolean resetAttempts, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE jobs SET status = 'QUEUED', error = $3, run_at = $4, lease_owner = NULL, "
        + "lease_until = NULL, phase = NULL, percent = 0, eta_seconds = NULL, finished_at = NULL, output = NULL, "
        + "attempts = CASE WHEN $5 THEN 0 ELSE attempts END, updated_at = $6, version = version + 1 "
        + "WHERE id = $1 AND ($2::text IS NULL OR (status = 'RUNNING' AND lease_owner = $2)) RETURNING " + COLUMNS)
      .execute(Tuple.tuple(Arrays.asList(id, owner, error, runAt, resetAttempts, now))).map(JobRepository::first);
  }

  /**
   * FAILED or CANCELED with a reason, from RUNNING of {@code owner} or (owner null) any state. {@code cleanup}:
   * objects may be left that the instance which ran it (or the sweep) must remove.
   */
  public Future<Optional<Job>> end(SqlClient tx, UUID id, String owner, JobStatus status, String error,
                                   boolean cleanup, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE jobs SET status = $3, error = $4, cleanup_pending = $5, output = NULL, "
        + "phase = NULL, eta_seconds = NULL, lease_owner = CASE WHEN $5 THEN lease_owner END, "
        + "lease_until = CASE WHEN $5 THEN lease_until END, finished_at = $6, updated_at = $6, "
        + "version = version + 1 WHERE id = $1 AND ($2::text IS NULL OR (status = 'RUNNING' AND lease_owner = $2)) "
        + "RETURNING " + COLUMNS)
      .execute(Tuple.tuple(Arrays.asList(id, owner, status.name(), error, cleanup, now))).map(JobRepository::first);
  }

  /** RUNNING jobs whose lease ran out (their instance died or hung), locked, skipping any held elsewhere. */
  public Future<List<Job>> lockExpired(SqlClient tx, OffsetDateTime now, int limit) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM jobs WHERE status = 'RUNNING' AND lease_until < $2 "
      + "ORDER BY lease_until LIMIT $1 FOR UPDATE SKIP LOCKED").execute(Tuple.of(limit, now)).map(JobRepository::all);
  }

  /**
   * Finished jobs with objects to remove whose runner is gone (its lease ran out, or it never had one), locked;
   * the sweep removes their objects, then {@link #cleaned}.
   */
  public Future<List<Job>> lockUncleaned(SqlClient tx, OffsetDateTime now, int limit) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM jobs WHERE cleanup_pending "
      + "AND (lease_until IS NULL OR lease_until < $2) ORDER BY updated_at LIMIT $1 FOR UPDATE SKIP LOCKED")
      .execute(Tuple.of(limit, now)).map(JobRepository::all);
  }

  /** Whether a finished job still has objects to remove (it cannot be retried before). */
  public Future<Boolean> cleanupPending(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT cleanup_pending FROM jobs WHERE id = $1").execute(Tuple.of(id))
      .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean(0));
  }

  public Future<Void> cleaned(SqlClient db, UUID id) {
    return db.preparedQuery("UPDATE jobs SET cleanup_pending = FALSE, lease_owner = NULL, lease_until = NULL "
      + "WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  private static Where filter(JobList q, String caller, int firstParam) {
    return Where.from(firstParam).eq("status", q.status() == null ? null : q.status().name())
      .eq("type", q.type() == null ? null : q.type().name()).eq("media_id", q.mediaId())
      .eq("created_by", q.mine() ? caller : null);
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

  private static Placed placed(Row r) {
    Long position = r.getLong("queue_position");
    return new Placed(map(r), position == null ? null : position.intValue());
  }

  private static Job map(Row r) {
    String phase = r.getString("phase");
    return new Job(r.getUUID("id"), JobType.valueOf(r.getString("type")), r.getUUID("media_id"),
      JobStatus.valueOf(r.getString("status")), phase == null ? null : Phase.valueOf(phase),
      r.getDouble("percent"), r.getInteger("eta_seconds"), r.getInteger("attempts"), r.getString("error"),
      (JsonObject) r.getValue("params"), (JsonObject) r.getValue("output"), r.getString("created_by"),
      r.getOffsetDateTime("run_at"), r.getString("lease_owner"), r.getOffsetDateTime("expires_at"),
      r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"), r.getOffsetDateTime("started_at"),
      r.getOffsetDateTime("finished_at"), r.getInteger("version"));
  }
}
