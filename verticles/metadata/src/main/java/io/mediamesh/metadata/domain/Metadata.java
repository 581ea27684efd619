package io.mediamesh.metadata.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Metadata of one program or episode, as stored. */
public record Metadata(UUID id, UUID contentId, String contentType, Fields fields, int version,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  /** The editable part: what an update replaces and a restore brings back. */
  public record Fields(String title, String description, Category category, String language, Integer durationSeconds,
                       LocalDate publishDate, List<String> tags) {

    public JsonObject toJson() {
      return new JsonObject()
        .put("title", title)
        .put("description", description)
        .put("category", category.name())
        .put("language", language)
        .put("durationSeconds", durationSeconds)
        .put("publishDate", publishDate == null ? null : publishDate.toString())
        .put("tags", new JsonArray(tags));
    }

    public static Fields fromJson(JsonObject json) {
      String date = json.getString("publishDate");
      return new Fields(json.getString("title"), json.getString("description"),
        Category.valueOf(json.getString("category")), json.getString("language"), json.getInteger("durationSeconds"),
        date == null ? null : LocalDate.parse(date),
        json.getJsonArray("tags").stream().map(String::valueOf).toList());
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("contentId", contentId.toString())
      .put("contentType", contentType)
      .mergeIn(fields.toJson())
      .put("version", version)
      .put("createdAt", createdAt.toInstant().toString())
      .put("updatedAt", updatedAt.toInstant().toString());
  }

  public Metadata next(Fields newFields, OffsetDateTime at) {
    return new Metadata(id, contentId, contentType, newFields, version + 1, createdAt, at);
  }
}
