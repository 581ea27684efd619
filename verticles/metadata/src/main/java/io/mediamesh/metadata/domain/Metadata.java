package io.mediamesh.metadata.domain;

import io.mediamesh.common.api.MetadataApi.Category;
import io.mediamesh.common.api.MetadataApi.Credit;
import io.mediamesh.common.api.MetadataApi.Editable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Metadata of one program or episode, as stored; its editable part is what an update replaces. */
public record Metadata(UUID id, UUID contentId, String contentType, Editable fields, int version,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  /** A first version, made at {@code at}. */
  public static Metadata created(UUID contentId, String contentType, Editable fields, OffsetDateTime at) {
    return new Metadata(UUID.randomUUID(), contentId, contentType, fields, 1, at, at);
  }

  /** The editable fields of a snapshot ({@link #toJson()} of an earlier version); valid when they were stored. */
  public static Editable fieldsOf(JsonObject snapshot) {
    String date = snapshot.getString("publishDate");
    // versions from before the catalog fields have none
    return new Editable(snapshot.getString("title"), snapshot.getString("description"),
      Category.valueOf(snapshot.getString("category")), snapshot.getString("language"),
      snapshot.getInteger("durationSeconds"), date == null ? null : LocalDate.parse(date),
      snapshot.getJsonArray("tags").stream().map(String::valueOf).toList(),
      snapshot.getJsonArray("genres", new JsonArray()).stream().map(String::valueOf).toList(),
      snapshot.getJsonArray("credits", new JsonArray()).stream().map(o -> Credit.fromJson((JsonObject) o)).toList(),
      snapshot.getInteger("ageRating"));
  }

  /** The API's Metadata: every field, an absent duration or publish date as null. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("contentId", contentId.toString())
      .put("contentType", contentType)
      .put("title", fields.title())
      .put("description", fields.description())
      .put("category", fields.category().name())
      .put("language", fields.language())
      .put("durationSeconds", fields.durationSeconds())
      .put("publishDate", fields.publishDate() == null ? null : fields.publishDate().toString())
      .put("tags", new JsonArray(fields.tags()))
      .put("genres", new JsonArray(fields.genres()))
      .put("credits", new JsonArray(fields.credits().stream().map(Credit::toJson).toList()))
      .put("ageRating", fields.ageRating())
      .put("version", version)
      .put("createdAt", createdAt.toInstant().toString())
      .put("updatedAt", updatedAt.toInstant().toString());
  }

  public Metadata next(Editable newFields, OffsetDateTime at) {
    return new Metadata(id, contentId, contentType, newFields, version + 1, createdAt, at);
  }
}
