package io.mediamesh.media.persistence;

import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.domain.Kind;
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

/** SQL for assets. */
public final class AssetRepository {

  private static final String COLUMNS = "id, content_id, content_type, kind, bucket, storage_key, size_bytes, "
    + "mime_type, sha256, width, height, duration_seconds, status, parent_id, thumbnail_id, declared_mime, "
    + "declared_size, version, created_at, updated_at";

  public Future<Void> insert(SqlClient db, Asset a) {
    return db.preparedQuery("INSERT INTO assets (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        + "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20)")
      .execute(Tuple.tuple(values(a))).mapEmpty();
  }

  /**
   * Writes the fields that change after creation (the kind too: an import's is known only once its bytes are
   * sniffed).
   */
  public Future<Void> save(SqlClient db, Asset a) {
    return db.preparedQuery("UPDATE assets SET size_bytes = $2, mime_type = $3, sha256 = $4, width = $5, height = $6, "
        + "duration_seconds = $7, status = $8, thumbnail_id = $9, version = $10, updated_at = $11, storage_key = $12, "
        + "kind = $13 WHERE id = $1")
      .execute(Tuple.tuple(Arrays.asList(a.id(), a.sizeBytes(), a.mimeType(), a.sha256(), a.width(), a.height(),
        a.durationSeconds(), a.status().name(), a.thumbnailId(), a.version(), a.updatedAt(), a.storageKey(),
        a.kind().name())))
      .mapEmpty();
  }

  public Future<Optional<Asset>> byId(SqlClient db, UUID id, boolean lock) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM assets WHERE id = $1" + (lock ? " FOR UPDATE" : ""))
      .execute(Tuple.of(id)).map(AssetRepository::first);
  }

  public Future<List<Asset>> byContent(SqlClient db, UUID contentId) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM assets WHERE content_id = $1 AND parent_id IS NULL "
      + "AND status <> 'DELETING' ORDER BY created_at, id").execute(Tuple.of(contentId)).map(AssetRepository::all);
  }

  public Future<List<Asset>> children(SqlClient db, UUID parentId, boolean lock) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM assets WHERE parent_id = $1 ORDER BY created_at"
      + (lock ? " FOR UPDATE" : "")).execute(Tuple.of(parentId)).map(AssetRepository::all);
  }

  /** Deletions marked before {@code markedBefore} and still there (storage was unavailable), to try again. */
  public Future<List<UUID>> stuckDeletions(SqlClient db, OffsetDateTime markedBefore, int limit) {
    return db.preparedQuery("SELECT id FROM assets WHERE status = 'DELETING' AND parent_id IS NULL "
        + "AND updated_at < $1 ORDER BY updated_at LIMIT $2").execute(Tuple.of(markedBefore, limit))
      .map(rows -> {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getUUID(0)));
        return ids;
      });
  }

  public Future<Void> delete(SqlClient db, UUID id) {
    return db.preparedQuery("DELETE FROM assets WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  private static List<Object> values(Asset a) {
    return Arrays.asList(a.id(), a.contentId(), a.contentType(), a.kind().name(), a.bucket(), a.storageKey(),
      a.sizeBytes(), a.mimeType(), a.sha256(), a.width(), a.height(), a.durationSeconds(), a.status().name(),
      a.parentId(), a.thumbnailId(), a.declaredMime(), a.declaredSize(), a.version(), a.createdAt(), a.updatedAt());
  }

  private static Optional<Asset> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
  }

  private static List<Asset> all(RowSet<Row> rows) {
    List<Asset> out = new ArrayList<>();
    rows.forEach(r -> out.add(map(r)));
    return out;
  }

  private static Asset map(Row r) {
    return new Asset(r.getUUID("id"), r.getUUID("content_id"), r.getString("content_type"),
      Kind.valueOf(r.getString("kind")), r.getString("bucket"), r.getString("storage_key"), r.getLong("size_bytes"),
      r.getString("mime_type"), r.getString("sha256"), r.getInteger("width"), r.getInteger("height"),
      r.getInteger("duration_seconds"), AssetStatus.valueOf(r.getString("status")), r.getUUID("parent_id"),
      r.getUUID("thumbnail_id"), r.getString("declared_mime"), r.getLong("declared_size"), r.getInteger("version"),
      r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }
}
