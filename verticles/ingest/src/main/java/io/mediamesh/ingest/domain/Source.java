package io.mediamesh.ingest.domain;

import io.mediamesh.common.db.Times;
import io.mediamesh.common.api.IngestApi.SourceType;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A registered source; with an interval it is imported again on that schedule while enabled. */
public record Source(UUID id, SourceType type, String url, String feedKey, JsonObject mapping,
                     Integer intervalSeconds, boolean enabled, OffsetDateTime nextRunAt, String createdBy,
                     OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("type", type.name())
      .put("url", url)
      .put("mapping", mapping)
      .put("intervalSeconds", intervalSeconds)
      .put("enabled", enabled)
      .put("nextRunAt", Times.text(nextRunAt))
      .put("createdBy", createdBy)
      .put("createdAt", Times.text(createdAt))
      .put("updatedAt", Times.text(updatedAt));
  }
}
