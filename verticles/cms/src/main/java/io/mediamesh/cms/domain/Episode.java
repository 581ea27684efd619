package io.mediamesh.cms.domain;

import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

public record Episode(UUID id, UUID programId, int seasonNumber, int episodeNumber, String title, String description,
                      Integer durationSeconds, Status status, OffsetDateTime publishAt, OffsetDateTime publishedAt,
                      OffsetDateTime createdAt, OffsetDateTime updatedAt, int version) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("programId", programId.toString())
      .put("seasonNumber", seasonNumber)
      .put("episodeNumber", episodeNumber)
      .put("title", title)
      .put("description", description)
      .put("durationSeconds", durationSeconds)
      .put("status", status.name())
      .put("publishAt", Times.text(publishAt))
      .put("publishedAt", Times.text(publishedAt))
      .put("createdAt", Times.text(createdAt))
      .put("updatedAt", Times.text(updatedAt))
      .put("version", version);
  }
}
