package io.mediamesh.processing.jobs;

import io.mediamesh.common.api.ProcessingApi.JobStatus;
import io.mediamesh.common.api.ProcessingApi.JobType;
import io.mediamesh.common.api.ProcessingApi.Phase;
import io.mediamesh.common.db.Times;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A processing job as stored; {@link #toJson(Integer)} is the API's Job (see {@code ProcessingApi}).
 * {@code leaseOwner} is the instance running it, never shown.
 */
public record Job(UUID id, JobType type, UUID mediaId, JobStatus status, Phase phase, double percent,
                  Integer etaSeconds, int attempts, String error, JsonObject params, JsonObject output,
                  String createdBy, OffsetDateTime runAt, String leaseOwner, OffsetDateTime expiresAt,
                  OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime startedAt,
                  OffsetDateTime finishedAt, int version) {

  /** A new QUEUED job, due {@code now}. */
  public static Job queued(JobType type, UUID mediaId, JsonObject params, String createdBy, OffsetDateTime now) {
    return new Job(UUID.randomUUID(), type, mediaId, JobStatus.QUEUED, null, 0, null, 0, null, params, null,
      createdBy, now, null, null, now, now, null, null, 1);
  }

  /** The API's Job; {@code queuePosition} only for a QUEUED job (1 = the next to run). */
  public JsonObject toJson(Integer queuePosition) {
    return new JsonObject()
      .put("id", id.toString())
      .put("type", type.name())
      .put("mediaId", mediaId.toString())
      .put("status", status.name())
      .put("phase", status == JobStatus.RUNNING && phase != null ? phase.name() : null)
      .put("percent", Math.round(percent * 10) / 10.0)
      .put("etaSeconds", status == JobStatus.RUNNING ? etaSeconds : null)
      .put("queuePosition", status == JobStatus.QUEUED ? queuePosition : null)
      .put("attempts", attempts)
      .put("error", error)
      .put("params", params)
      .put("output", output)
      .put("createdBy", createdBy)
      .put("createdAt", Times.text(createdAt))
      .put("updatedAt", Times.text(updatedAt))
      .put("startedAt", Times.text(startedAt))
      .put("finishedAt", Times.text(finishedAt))
      .put("expiresAt", Times.text(expiresAt));
  }

  public JsonObject toJson() {
    return toJson(null);
  }
}
