package io.mediamesh.search.lucene;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One row of the {@code documents} table, as a copy of the index holds it. */
record IndexedDocument(UUID id, String type, UUID programId, String title, String description, List<String> tags,
                       String category, String language, String thumbnailKey, Instant publishedAt, String kind,
                       List<String> genres, Integer rating) {

  /** The columns {@link #from} reads. */
  static final String COLUMNS = "id, type, program_id, title, description, tags, category, language, thumbnail_key, "
    + "published_at, kind, genres, rating";

  /** A document without catalog fields (no kind, no genres, unrated). */
  IndexedDocument(UUID id, String type, UUID programId, String title, String description, List<String> tags,
                  String category, String language, String thumbnailKey, Instant publishedAt) {
    this(id, type, programId, title, description, tags, category, language, thumbnailKey, publishedAt, null,
      List.of(), null);
  }

  static IndexedDocument from(Row r) {
    String[] tags = r.getArrayOfStrings("tags");
    String[] genres = r.getArrayOfStrings("genres");
    OffsetDateTime published = r.getOffsetDateTime("published_at");
    return new IndexedDocument(r.getUUID("id"), r.getString("type"), r.getUUID("program_id"), r.getString("title"),
      r.getString("description"), tags == null ? List.of() : List.of(tags), r.getString("category"),
      r.getString("language"), r.getString("thumbnail_key"), published == null ? null : published.toInstant(),
      r.getString("kind"), genres == null ? List.of() : List.of(genres), r.getInteger("rating"));
  }

  /** The fields a hit shows, before its URL, score and highlight are added. */
  JsonObject source() {
    return new JsonObject()
      .put("id", id.toString())
      .put("type", type)
      .put("title", title)
      .put("description", description)
      .put("category", category)
      .put("language", language)
      .put("programId", programId == null ? null : programId.toString())
      .put("thumbnailKey", thumbnailKey)
      .put("publishedAt", publishedAt == null ? null : publishedAt.toString());
  }
}
