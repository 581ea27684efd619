package io.mediamesh.cms.domain;

import io.mediamesh.common.db.Times;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.CmsApi.ProgramKind;
import io.mediamesh.common.api.CmsApi.Status;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

public record Program(UUID id, String title, String description, ProgramKind kind, Status status,
                      OffsetDateTime publishAt, OffsetDateTime publishedAt, OffsetDateTime createdAt,
                      OffsetDateTime updatedAt, String createdBy, int version) {

  /** A new draft, version 1. */
  public static Program draft(CmsApi.ProgramCreate request, String createdBy, Clock clock) {
    OffsetDateTime now = Times.now(clock);
    return new Program(UUID.randomUUID(), request.title(), request.description(), request.kind(), Status.DRAFT, null,
      null, now, now, createdBy, 1);
  }

  /** The edit of {@code request} (fields it leaves null stay), as the next version; a stale version is a 409. */
  public Program edit(CmsApi.ProgramUpdate request, Clock clock) {
    if (request.version() != version) {
      throw ServiceException.staleVersion(request.version(), version);
    }
    Workflow.requireNotArchived(status, "program");
    return new Program(id, request.title() != null ? request.title() : title,
      request.description() != null ? request.description() : description,
      request.kind() != null ? request.kind() : kind, status, publishAt, publishedAt, createdAt, Times.now(clock),
      createdBy, version + 1);
  }

  /** The workflow's move under {@code action}, as the next version, with the event it publishes. */
  public Change<Program> apply(Workflow.Action action, OffsetDateTime requestedPublishAt, Clock clock) {
    OffsetDateTime now = Times.now(clock);
    Workflow.Transition t = Workflow.apply(status, publishAt, publishedAt, action, requestedPublishAt, now, "program");
    return new Change<>(new Program(id, title, description, kind, t.status(), t.publishAt(), t.publishedAt(),
      createdAt, now, createdBy, version + 1), t.event());
  }

  /** The last snapshot, for the {@code content.deleted} event: the next version, as it was. */
  public Program deleted(Clock clock) {
    return new Program(id, title, description, kind, status, publishAt, publishedAt, createdAt, Times.now(clock),
      createdBy, version + 1);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("title", title)
      .put("description", description)
      .put("kind", kind.name())
      .put("status", status.name())
      .put("publishAt", Times.text(publishAt))
      .put("publishedAt", Times.text(publishedAt))
      .put("createdAt", Times.text(createdAt))
      .put("updatedAt", Times.text(updatedAt))
      .put("createdBy", createdBy)
      .put("version", version);
  }
}
