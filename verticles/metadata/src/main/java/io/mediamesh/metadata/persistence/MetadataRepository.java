package io.mediamesh.metadata.persistence;

import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.api.MetadataApi.Category;
import io.mediamesh.metadata.domain.Metadata;
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

/** SQL for metadata and its versions; tombstoned rows are invisible to the reads used by the API. */
public final class MetadataRepository {

  private static final String COLUMNS = "id, content_id, content_type, title, description, category, language, "
    + "duration_seconds, publish_date, tags, version, created_at, updated_at, genres, credits, age_rating";

  public record VersionInfo(int version, String change, Integer restoredFrom, String changedBy,
                            OffsetDateTime changedAt) {
    public JsonObject toJson() {
      return new JsonObject().put("version", version).put("change", change).put("restoredFrom", restoredFrom)
        .put("changedBy", changedBy).put("changedAt", changedAt.toInstant().toString());
    }
  }

  public Future<Void> insert(SqlClient db, Metadata m) {
    MetadataApi.Editable f = m.fields();
    return db.preparedQuery("INSERT INTO metadata (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        + "$11, $12, $13, $14, $15, $16)")
      .execute(Tuple.tuple(Arrays.asList(m.id(), m.contentId(), m.contentType(), f.title(), f.description(),
        f.category().name(), f.language(), f.durationSeconds(), f.publishDate(), f.tags().toArray(new String[0]),
        m.version(), m.createdAt(), m.updatedAt(), f.genres().toArray(new String[0]), credits(f), f.ageRating())))
      .mapEmpty();
  }

  public Future<Void> save(SqlClient db, Metadata m) {
    MetadataApi.Editable f = m.fields();
    return db.preparedQuery("UPDATE metadata SET title = $2, description = $3, category = $4, language = $5, "
        + "duration_seconds = $6, publish_date = $7, tags = $8, version = $9, updated_at = $10, genres = $11, "
        + "credits = $12, age_rating = $13 WHERE id = $1")
      .execute(Tuple.tuple(Arrays.asList(m.id(), f.title(), f.description(), f.category().name(), f.language(),
        f.durationSeconds(), f.publishDate(), f.tags().toArray(new String[0]), m.version(), m.updatedAt(),
        f.genres().toArray(new String[0]), credits(f), f.ageRating())))
      .mapEmpty();
  }

  public Future<Void> tombstone(SqlClient db, Metadata m) {
    return db.preparedQuery("UPDATE metadata SET deleted_at = $2, updated_at = $2, version = $3 WHERE id = $1")
      .execute(Tuple.of(m.id(), m.updatedAt(), m.version())).mapEmpty();
  }

  public Future<Optional<Metadata>> byId(SqlClient db, UUID id, boolean lock) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM metadata WHERE id = $1 AND deleted_at IS NULL"
      + (lock ? " FOR UPDATE" : "")).execute(Tuple.of(id)).map(MetadataRepository::first);
  }

  public Future<Optional<Metadata>> byContent(SqlClient db, UUID contentId, boolean lock) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM metadata WHERE content_id = $1 AND deleted_at IS NULL"
      + (lock ? " FOR UPDATE" : "")).execute(Tuple.of(contentId)).map(MetadataRepository::first);
  }

  public Future<Void> addVersion(SqlClient db, Metadata m, String change, Integer restoredFrom, String changedBy) {
    return db.preparedQuery("INSERT INTO metadata_versions (metadata_id, version, snapshot, change, restored_from, "
        + "changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
      .execute(Tuple.tuple(Arrays.asList(m.id(), m.version(), m.toJson(), change, restoredFrom, changedBy,
        m.updatedAt())))
      .mapEmpty();
  }

  public Future<Optional<JsonObject>> snapshot(SqlClient db, UUID id, int version) {
    return db.preparedQuery("SELECT snapshot FROM metadata_versions WHERE metadata_id = $1 AND version = $2")
      .execute(Tuple.of(id, version))
      .map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of((JsonObject) rows.iterator().next().getValue("snapshot")));
  }

  public Future<List<VersionInfo>> versions(SqlClient db, UUID id, int limit, long offset) {
    return db.preparedQuery("SELECT version, change, restored_from, changed_by, changed_at FROM metadata_versions "
        + "WHERE metadata_id = $1 ORDER BY version DESC LIMIT $2 OFFSET $3").execute(Tuple.of(id, limit, offset))
      .map(rows -> {
        List<VersionInfo> out = new ArrayList<>();
        rows.forEach(r -> out.add(new VersionInfo(r.getInteger("version"), r.getString("change"),
          r.getInteger("restored_from"), r.getString("changed_by"), r.getOffsetDateTime("changed_at"))));
        return out;
      });
  }

  public Future<Long> countVersions(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT count(*) FROM metadata_versions WHERE metadata_id = $1").execute(Tuple.of(id))
      .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Optional<Metadata> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
  }

  private static Metadata map(Row r) {
    String[] tags = r.getArrayOfStrings("tags");
    return new Metadata(r.getUUID("id"), r.getUUID("content_id"), r.getString("content_type"),
      new MetadataApi.Editable(r.getString("title"), r.getString("description"),
        Category.valueOf(r.getString("category")), r.getString("language"), r.getInteger("duration_seconds"),
        r.getLocalDate("publish_date"), tags == null ? List.of() : List.of(tags),
        List.of(r.getArrayOfStrings("genres")),
        ((io.vertx.core.json.JsonArray) r.getValue("credits")).stream()
          .map(o -> MetadataApi.Credit.fromJson((io.vertx.core.json.JsonObject) o)).toList(),
        r.getInteger("age_rating")),
      r.getInteger("version"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }

  private static io.vertx.core.json.JsonArray credits(MetadataApi.Editable f) {
    return new io.vertx.core.json.JsonArray(f.credits().stream().map(MetadataApi.Credit::toJson).toList());
  }
}
