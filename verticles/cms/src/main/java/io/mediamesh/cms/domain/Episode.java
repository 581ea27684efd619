package io.mediamesh.cms.domain;

import io.mediamesh.common.db.Times;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.CmsApi.Status;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

public record Episode(UUID id, UUID programId, int seasonNumber, int episodeNumber, String title, String description,
                      Integer durationSeconds, Status status, OffsetDateTime publishAt, OffsetDateTime publishedAt,
                      OffsetDateTime createdAt, OffsetDateTime updatedAt, int version) {

  /** A new draft, version 1. */
  public static Episode draft(CmsApi.EpisodeCreate request, Clock clock) {
    OffsetDateTime now = Times.now(clock);
    return new Episode(UUID.randomUUID(), request.programId(), request.seasonNumber(), request.episodeNumber(),
      request.title(), request.description(), request.durationSeconds(), Status.DRAFT, null, null, now, now, 1);
  }

  /**
   * The edit of {@code request} (fields it leaves null stay), as the next version; a stale version is a 409, and so
   * is an edit of an archived episode or of an episode of an archived program ({@code programStatus}).
   */
  public Episode edit(CmsApi.EpisodeUpdate request, Status programStatus, Clock clock) {
    if (request.version() != version) {
      throw ServiceException.staleVersion(request.version(), version);
    }
    Workflow.requireNotArchived(programStatus, "program");
    Workflow.requireNotArchived(status, "episode");
    return new Episode(id, programId, request.seasonNumber() != null ? request.seasonNumber() : seasonNumber,
      request.episodeNumber() != null ? request.episodeNumber() : episodeNumber,
      request.title() != null ? request.title() : title,
      request.description() != null ? request.description() : description,
      request.durationGiven() ? request.durationSeconds() : durationSeconds, status, publishAt, publishedAt,
      createdAt, Times.now(clock), version + 1);
  }

  /** The workflow's move under {@code action}, as the next version, with the event it publishes. */
  public Change<Episode> apply(Workflow.Action action, OffsetDateTime requestedPublishAt, Clock clock) {
    OffsetDateTime now = Times.now(clock);
    Workflow.Transition t = Workflow.apply(status, publishAt, publishedAt, action, requestedPublishAt, now, "episode");
    return new Change<>(new Episode(id, programId, seasonNumber, episodeNumber, title, description, durationSeconds,
      t.status(), t.publishAt(), t.publishedAt(), createdAt, now, version + 1), t.event());
  }

  /** The last snapshot, for the {@code content.deleted} event: the next version, as it was. */
  public Episode deleted(Clock clock) {
    return new Episode(id, programId, seasonNumber, episodeNumber, title, description, durationSeconds, status,
      publishAt, publishedAt, createdAt, Times.now(clock), version + 1);
  }

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
