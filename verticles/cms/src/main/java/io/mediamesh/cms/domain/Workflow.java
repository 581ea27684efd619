package io.mediamesh.cms.domain;

import io.mediamesh.common.api.CmsApi.Status;
import io.mediamesh.common.bus.ServiceException;

import java.time.OffsetDateTime;

/**
 * The publishing workflow, for programs and episodes alike: DRAFT -> PUBLISHED <-> UNPUBLISHED; any -> ARCHIVED;
 * ARCHIVED -> DRAFT (restore). A pure function of the state, the action and the time: a move the status does not
 * allow is a 409 naming what is wrong.
 */
public final class Workflow {

  private Workflow() {
  }

  /** What an editor asks of the workflow. */
  public enum Action { PUBLISH, UNPUBLISH, ARCHIVE, RESTORE }

  /** The state after an action, and the event it publishes. */
  public record Transition(Status status, OffsetDateTime publishAt, OffsetDateTime publishedAt, String event) {
  }

  /**
   * The move of content in {@code status} (scheduled at {@code scheduled}, published at {@code publishedAt}) under
   * {@code action} at {@code now}; {@code publishAt} is the requested publication time of a PUBLISH (null: now).
   * {@code what} names the content in refusals ("program", "episode").
   */
  public static Transition apply(Status status, OffsetDateTime scheduled, OffsetDateTime publishedAt, Action action,
                                 OffsetDateTime publishAt, OffsetDateTime now, String what) {
    return switch (action) {
      case PUBLISH -> {
        if (status == Status.ARCHIVED) {
          throw ServiceException.conflict(what + " is archived; restore it first");
        }
        if (status == Status.PUBLISHED) {
          throw ServiceException.conflict(what + " is already published");
        }
        yield publishAt != null && publishAt.isAfter(now)
          ? new Transition(status, publishAt, publishedAt, "content.updated") // scheduled
          : new Transition(Status.PUBLISHED, null, now, "content.published");
      }
      case UNPUBLISH -> {
        if (status == Status.PUBLISHED) {
          yield new Transition(Status.UNPUBLISHED, null, publishedAt, "content.unpublished");
        }
        if (status.publishable() && scheduled != null) {
          yield new Transition(status, null, publishedAt, "content.updated"); // cancels the schedule
        }
        throw ServiceException.conflict(what + " is not published");
      }
      case ARCHIVE -> {
        if (status == Status.ARCHIVED) {
          throw ServiceException.conflict(what + " is already archived");
        }
        yield new Transition(Status.ARCHIVED, null, publishedAt, "content.archived");
      }
      case RESTORE -> {
        if (status != Status.ARCHIVED) {
          throw ServiceException.conflict(what + " is not archived");
        }
        yield new Transition(Status.DRAFT, null, publishedAt, "content.updated");
      }
    };
  }

  /** Content in an archived state cannot be edited or published: a 409. */
  public static void requireNotArchived(Status status, String what) {
    if (status == Status.ARCHIVED) {
      throw ServiceException.conflict(what + " is archived; restore it first");
    }
  }
}
