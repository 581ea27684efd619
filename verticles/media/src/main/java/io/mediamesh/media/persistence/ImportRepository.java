package io.mediamesh.media.persistence;

import io.mediamesh.common.api.MediaApi.ImportStatus;
import io.mediamesh.media.domain.UrlImport;
import io.vertx.core.Future;
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

/**
 * SQL for imports. A DOWNLOADING import belongs to the instance named in {@code lease_owner}: only that instance's
 * writes of the download's state and of its end take effect (each answers whether it did), so an instance that lost
 * its import (its lease ran out and another took it up) can never overwrite what happened since.
 */
public final class ImportRepository {

  private static final String COLUMNS = "id, media_id, url, expected_sha256, status, bytes, total_bytes, attempts, "
    + "error, created_by, run_at, part_size, storage_upload_id, part_etags, validator, mime_type, created_at, "
    + "updated_at";
  private static final String OWNED = " WHERE id = $1 AND status = 'DOWNLOADING' AND lease_owner = $2";

  public Future<Void> insert(SqlClient db, UrlImport i) {
    return db.preparedQuery("INSERT INTO imports (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        + "$11, $12, $13, $14, $15, $16, $17, $18)")
      .execute(Tuple.tuple(Arrays.asList(i.id(), i.mediaId(), i.url(), i.expectedSha256(), i.status().name(),
        i.bytes(), i.totalBytes(), i.attempts(), i.error(), i.createdBy(), i.runAt(), i.partSize(),
        i.storageUploadId(), i.partEtags().toArray(String[]::new), i.validator(), i.mimeType(), i.createdAt(),
        i.updatedAt())))
      .mapEmpty();
  }

  public Future<Optional<UrlImport>> byId(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM imports WHERE id = $1").execute(Tuple.of(id))
      .map(ImportRepository::first);
  }

  /**
   * Claims the next due QUEUED import for {@code owner}: DOWNLOADING, leased until {@code until}, one more attempt.
   * {@code SKIP LOCKED}: instances claiming at once take different imports.
   */
  public Future<Optional<UrlImport>> claim(SqlClient tx, String owner, OffsetDateTime now, OffsetDateTime until) {
    return tx.preparedQuery("UPDATE imports SET status = 'DOWNLOADING', attempts = attempts + 1, lease_owner = $2, "
        + "lease_until = $3, updated_at = $1 WHERE id = (SELECT id FROM imports WHERE status = 'QUEUED' "
        + "AND run_at <= $1 ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
      .execute(Tuple.of(now, owner, until)).map(ImportRepository::first);
  }

  /** Extends the lease of an import this owner still downloads; false when it does not any more. */
  public Future<Boolean> renew(SqlClient db, UUID id, String owner, OffsetDateTime until) {
    return db.preparedQuery("UPDATE imports SET lease_until = $3" + OWNED).execute(Tuple.of(id, owner, until))
      .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Writes the download's state (stored bytes and parts, the multipart upload, validator, size, type) if this owner
   * still downloads it; false otherwise (nothing written).
   */
  public Future<Boolean> progress(SqlClient db, String owner, UrlImport i, OffsetDateTime now) {
    return db.preparedQuery("UPDATE imports SET bytes = $3, total_bytes = $4, storage_upload_id = $5, part_etags = $6, "
        + "validator = $7, mime_type = $8, updated_at = $9" + OWNED)
      .execute(Tuple.tuple(Arrays.asList(i.id(), owner, i.bytes(), i.totalBytes(), i.storageUploadId(),
        i.partEtags().toArray(String[]::new), i.validator(), i.mimeType(), now)))
      .map(rows -> rows.rowCount() == 1);
  }

  /** Ends a download this owner holds as SUCCEEDED with the file's size; empty when it does not hold it. */
  public Future<Optional<UrlImport>> succeed(SqlClient tx, UUID id, String owner, long bytes, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE imports SET status = 'SUCCEEDED', bytes = $3, error = NULL, lease_owner = NULL, "
        + "lease_until = NULL, updated_at = $4" + OWNED + " RETURNING " + COLUMNS)
      .execute(Tuple.of(id, owner, bytes, now)).map(ImportRepository::first);
  }

  /**
   * Puts an import back to QUEUED, due at {@code runAt}, with the error of the attempt that failed; its stored parts
   * stay, for the next attempt to go on from. {@code owner} null: whoever held it (a lapsed lease).
   */
  public Future<Optional<UrlImport>> requeue(SqlClient tx, UUID id, String owner, String error, OffsetDateTime runAt,
                                             OffsetDateTime now) {
    return tx.preparedQuery("UPDATE imports SET status = 'QUEUED', error = $3, run_at = $4, lease_owner = NULL, "
        + "lease_until = NULL, updated_at = $5 WHERE id = $1 AND status = 'DOWNLOADING' "
        + "AND ($2::text IS NULL OR lease_owner = $2) RETURNING " + COLUMNS)
      .execute(Tuple.of(id, owner, error, runAt, now)).map(ImportRepository::first);
  }

  /** Ends an import as FAILED with its reason ({@code owner} null: whoever held it). */
  public Future<Optional<UrlImport>> fail(SqlClient tx, UUID id, String owner, String error, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE imports SET status = 'FAILED', error = $3, lease_owner = NULL, "
        + "lease_until = NULL, storage_upload_id = NULL, part_etags = '{}', updated_at = $4 WHERE id = $1 "
        + "AND status = 'DOWNLOADING' AND ($2::text IS NULL OR lease_owner = $2) RETURNING " + COLUMNS)
      .execute(Tuple.of(id, owner, error, now)).map(ImportRepository::first);
  }

  /** DOWNLOADING imports whose lease ran out (their instance died or hung), locked, skipping any held elsewhere. */
  public Future<List<UrlImport>> lockExpired(SqlClient tx, OffsetDateTime now, int limit) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM imports WHERE status = 'DOWNLOADING' AND lease_until < $1 "
        + "ORDER BY lease_until LIMIT $2 FOR UPDATE SKIP LOCKED").execute(Tuple.of(now, limit))
      .map(rows -> {
        List<UrlImport> out = new ArrayList<>();
        rows.forEach(r -> out.add(map(r)));
        return out;
      });
  }

  private static Optional<UrlImport> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(map(it.next())) : Optional.empty();
  }

  private static UrlImport map(Row r) {
    String[] etags = r.getArrayOfStrings("part_etags");
    return new UrlImport(r.getUUID("id"), r.getUUID("media_id"), r.getString("url"), r.getString("expected_sha256"),
      ImportStatus.valueOf(r.getString("status")), r.getLong("bytes"), r.getLong("total_bytes"),
      r.getInteger("attempts"), r.getString("error"), r.getString("created_by"), r.getOffsetDateTime("run_at"),
      r.getInteger("part_size"), r.getString("storage_upload_id"), etags == null ? List.of() : Arrays.asList(etags),
      r.getString("validator"), r.getString("mime_type"), r.getOffsetDateTime("created_at"),
      r.getOffsetDateTime("updated_at"));
  }
}
