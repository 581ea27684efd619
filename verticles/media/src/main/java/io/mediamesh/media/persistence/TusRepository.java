package io.mediamesh.media.persistence;

import io.mediamesh.media.domain.TusUpload;
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
 * SQL for tus uploads. Writing an upload's state needs its lease: one request at a time (a PATCH, a completion, a
 * termination) holds it, on whichever instance, until it releases it or the lease runs out (its instance died).
 */
public final class TusRepository {

  private static final String COLUMNS = "id, upload_length, upload_offset, metadata, part_size, storage_upload_id, "
    + "part_etags, mime_type, created_by, expires_at, created_at, updated_at";

  public Future<Void> insert(SqlClient db, TusUpload u) {
    return db.preparedQuery("INSERT INTO tus_uploads (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        + "$10, $11, $12)")
      .execute(Tuple.tuple(Arrays.asList(u.id(), u.length(), u.offset(), u.metadata(), u.partSize(),
        u.storageUploadId(), u.partEtags().toArray(String[]::new), u.mimeType(), u.createdBy(), u.expiresAt(),
        u.createdAt(), u.updatedAt())))
      .mapEmpty();
  }

  public Future<Optional<TusUpload>> byId(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM tus_uploads WHERE id = $1").execute(Tuple.of(id))
      .map(TusRepository::first);
  }

  /** Takes the lease unless another holder's is still running; the upload when taken. */
  public Future<Optional<TusUpload>> lease(SqlClient db, UUID id, UUID leaseId, OffsetDateTime now,
                                           OffsetDateTime until) {
    return db.preparedQuery("UPDATE tus_uploads SET lease_id = $2, lease_until = $4 WHERE id = $1 "
        + "AND (lease_until IS NULL OR lease_until <= $3) RETURNING " + COLUMNS)
      .execute(Tuple.of(id, leaseId, now, until)).map(TusRepository::first);
  }

  /** Extends a lease still held; false when it was lost. */
  public Future<Boolean> renew(SqlClient db, UUID id, UUID leaseId, OffsetDateTime until) {
    return db.preparedQuery("UPDATE tus_uploads SET lease_until = $3 WHERE id = $1 AND lease_id = $2")
      .execute(Tuple.of(id, leaseId, until)).map(rows -> rows.rowCount() == 1);
  }

  public Future<Void> release(SqlClient db, UUID id, UUID leaseId) {
    return db.preparedQuery("UPDATE tus_uploads SET lease_id = NULL, lease_until = NULL WHERE id = $1 "
      + "AND lease_id = $2").execute(Tuple.of(id, leaseId)).mapEmpty();
  }

  /** Records the multipart upload the parts go to (before the first part is sent, so it can always be aborted). */
  public Future<Boolean> recordStorageUpload(SqlClient db, UUID id, UUID leaseId, String storageUploadId) {
    return db.preparedQuery("UPDATE tus_uploads SET storage_upload_id = $3 WHERE id = $1 AND lease_id = $2")
      .execute(Tuple.of(id, leaseId, storageUploadId)).map(rows -> rows.rowCount() == 1);
  }

  /**
   * Writes what a PATCH stored, if the lease is still held (false otherwise: nothing written), releasing it when
   * {@code release}.
   */
  public Future<Boolean> advance(SqlClient db, UUID leaseId, TusUpload u, boolean release) {
    return db.preparedQuery("UPDATE tus_uploads SET upload_offset = $3, part_etags = $4, mime_type = $5, "
        + "expires_at = $6, updated_at = $7"
        + (release ? ", lease_id = NULL, lease_until = NULL" : "") + " WHERE id = $1 AND lease_id = $2")
      .execute(Tuple.tuple(Arrays.asList(u.id(), leaseId, u.offset(), u.partEtags().toArray(String[]::new),
        u.mimeType(), u.expiresAt(), u.updatedAt())))
      .map(rows -> rows.rowCount() == 1);
  }

  /** Uploads expired by {@code now} that nobody holds, oldest first. */
  public Future<List<UUID>> expired(SqlClient db, OffsetDateTime now, int limit) {
    return db.preparedQuery("SELECT id FROM tus_uploads WHERE expires_at <= $1 AND (lease_until IS NULL "
        + "OR lease_until <= $1) ORDER BY expires_at LIMIT $2").execute(Tuple.of(now, limit))
      .map(rows -> {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getUUID(0)));
        return ids;
      });
  }

  public Future<Void> delete(SqlClient db, UUID id) {
    return db.preparedQuery("DELETE FROM tus_uploads WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  private static Optional<TusUpload> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
  }

  private static TusUpload map(Row r) {
    String[] etags = r.getArrayOfStrings("part_etags");
    return new TusUpload(r.getUUID("id"), r.getLong("upload_length"), r.getLong("upload_offset"),
      r.getString("metadata"), r.getInteger("part_size"), r.getString("storage_upload_id"),
      etags == null ? List.of() : Arrays.asList(etags), r.getString("mime_type"), r.getString("created_by"),
      r.getOffsetDateTime("expires_at"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }
}
