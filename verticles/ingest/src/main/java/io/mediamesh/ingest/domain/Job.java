package io.mediamesh.ingest.domain;

import io.mediamesh.common.db.Times;
import io.mediamesh.common.api.IngestApi.JobStatus;
import io.mediamesh.common.api.IngestApi.SourceType;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One import of one feed, as stored; {@link #toJson()} is the API's Job (see {@code IngestApi}). */
public record Job(UUID id, UUID sourceId, SourceType sourceType, String sourceUrl, String feedKey, JsonObject mapping,
                  JobStatus status, int attempts, int itemsImported, int itemsUpdated, int itemsSkipped,
                  JsonObject skipReasons, UUID programId, String error, OffsetDateTime runAt, String createdBy, OffsetDateTime createdAt,
                  OffsetDateTime updatedAt, OffsetDateTime startedAt, OffsetDateTime finishedAt, int version) {

  /** A new job, due {@code now}. */
  public static Job pending(UUID sourceId, SourceType type, String url, String feedKey, JsonObject mapping,
                            String createdBy, OffsetDateTime now) {
    return new Job(UUID.randomUUID(), sourceId, type, url, feedKey, mapping, JobStatus.PENDING, 0, 0, 0, 0, new JsonObject(), null, null,
      now, createdBy, now, now, null, null, 1);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("sourceType", sourceType.name())
      .put("sourceUrl", sourceUrl)
      .put("status", status.name())
      .put("attempts", attempts)
      .put("itemsImported", itemsImported)
      .put("itemsUpdated", itemsUpdated)
      .put("itemsSkipped", itemsSkipped)
      .put("skipReasons", skipReasons == null ? new JsonObject() : skipReasons)
      .put("programId", programId == null ? null : programId.toString())
      .put("error", error)
      .put("createdAt", Times.text(createdAt))
      .put("updatedAt", Times.text(updatedAt))
      .put("sourceId", sourceId == null ? null : sourceId.toString())
      .put("createdBy", createdBy)
      .put("nextAttemptAt", status == JobStatus.PENDING ? Times.text(runAt) : null)
      .put("startedAt", Times.text(startedAt))
      .put("finishedAt", Times.text(finishedAt))
      .put("version", version);
  }
}
