package io.mediamesh.cms.domain;

import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

public record Program(UUID id, String title, String description, Status status, OffsetDateTime publishAt,
                      OffsetDateTime publishedAt, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                      String createdBy, int version) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("title", title)
      .put("description", description)
      .put("status", status.name())
      .put("publishAt", Times.text(publishAt))
      .put("publishedAt", Times.text(publishedAt))
      .put("createdAt", Times.text(createdAt))
      .put("updatedAt", Times.text(updatedAt))
      .put("createdBy", createdBy)
      .put("version", version);
  }
}
