package io.mediamesh.cms.domain;

import io.mediamesh.cms.domain.Workflow.Action;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.CmsApi.Status;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.testkit.TestClock;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The publishing workflow on the domain, as a table, on a clock the test moves: no database, no bus. */
class ProgramWorkflowTest {

  private final TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));

  private Program draft() {
    return Program.draft(CmsApi.ProgramCreate.from(new JsonObject().put("title", "Tides")), "editor-1", clock);
  }

  private Program in(Status status) {
    Program p = draft();
    return new Program(p.id(), p.title(), p.description(), p.kind(), status, null,
      status == Status.DRAFT ? null : OffsetDateTime.now(clock), p.createdAt(), p.updatedAt(), p.createdBy(), 3);
  }

  @ParameterizedTest(name = "{0} + {1} -> {2} ({3})")
  @CsvSource({
    "DRAFT,       PUBLISH,   PUBLISHED,   content.published",
    "UNPUBLISHED, PUBLISH,   PUBLISHED,   content.published",
    "PUBLISHED,   UNPUBLISH, UNPUBLISHED, content.unpublished",
    "DRAFT,       ARCHIVE,   ARCHIVED,    content.archived",
    "PUBLISHED,   ARCHIVE,   ARCHIVED,    content.archived",
    "UNPUBLISHED, ARCHIVE,   ARCHIVED,    content.archived",
    "ARCHIVED,    RESTORE,   DRAFT,       content.updated",
  })
  void allowedMoves(Status from, Action action, Status to, String event) {
    Program p = in(from);
    clock.advance(Duration.ofMinutes(5));
    Change<Program> change = p.apply(action, null, clock);
    assertThat(change.next().status()).isEqualTo(to);
    assertThat(change.event()).isEqualTo(event);
    assertThat(change.next().version()).isEqualTo(p.version() + 1);
    assertThat(change.next().updatedAt().toInstant()).isEqualTo(clock.instant());
  }

  @ParameterizedTest(name = "{0} + {1} is refused: {2}")
  @CsvSource({
    "PUBLISHED,   PUBLISH,   program is already published",
    "ARCHIVED,    PUBLISH,   program is archived; restore it first",
    "DRAFT,       UNPUBLISH, program is not published",
    "ARCHIVED,    UNPUBLISH, program is not published",
    "ARCHIVED,    ARCHIVE,   program is already archived",
    "DRAFT,       RESTORE,   program is not archived",
    "PUBLISHED,   RESTORE,   program is not archived",
  })
  void refusedMoves(Status from, Action action, String message) {
    assertThatThrownBy(() -> in(from).apply(action, null, clock))
      .isInstanceOfSatisfying(ServiceException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.getMessage()).isEqualTo(message);
      });
  }

  @Test
  void aFuturePublishAtSchedulesAndTheClockDecidesWhatIsFuture() {
    Program p = draft();
    OffsetDateTime inAnHour = OffsetDateTime.now(clock).plusHours(1).withOffsetSameInstant(ZoneOffset.UTC);
    Change<Program> scheduled = p.apply(Action.PUBLISH, inAnHour, clock);
    assertThat(scheduled.next().status()).isEqualTo(Status.DRAFT);
    assertThat(scheduled.next().publishAt()).isEqualTo(inAnHour);
    assertThat(scheduled.event()).isEqualTo("content.updated");

    // unpublishing a scheduled draft cancels the schedule
    Change<Program> cancelled = scheduled.next().apply(Action.UNPUBLISH, null, clock);
    assertThat(cancelled.next().publishAt()).isNull();
    assertThat(cancelled.next().status()).isEqualTo(Status.DRAFT);

    // an hour later the same time is no longer in the future: it publishes now
    clock.advance(Duration.ofHours(1));
    Change<Program> now = p.apply(Action.PUBLISH, inAnHour, clock);
    assertThat(now.next().status()).isEqualTo(Status.PUBLISHED);
    assertThat(now.next().publishedAt().toInstant()).isEqualTo(clock.instant());
  }

  @Test
  void anEditNeedsTheVersionReadAndLeavesWhatItDoesNotName() {
    Program p = draft();
    Program edited = p.edit(CmsApi.ProgramUpdate.from(new JsonObject().put("id", p.id().toString()).put("version", 1)
      .put("description", "Shores")), clock);
    assertThat(edited.title()).isEqualTo("Tides");
    assertThat(edited.description()).isEqualTo("Shores");
    assertThat(edited.version()).isEqualTo(2);
    assertThatThrownBy(() -> edited.edit(CmsApi.ProgramUpdate.from(new JsonObject().put("id", p.id().toString())
      .put("version", 1).put("title", "Stale")), clock))
      .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    assertThatThrownBy(() -> in(Status.ARCHIVED).edit(CmsApi.ProgramUpdate.from(new JsonObject()
      .put("id", p.id().toString()).put("version", 3).put("title", "x")), clock))
      .hasMessage("program is archived; restore it first");
  }

  @Test
  void requestRecordsNameEveryBadFieldAndRoundTrip() {
    assertThatThrownBy(() -> CmsApi.EpisodeCreate.from(new JsonObject().put("programId", "nope")
      .put("seasonNumber", 0).put("title", "")))
      .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.details().getJsonObject("fields").fieldNames())
        .containsExactlyInAnyOrder("programId", "seasonNumber", "episodeNumber", "title"));
    JsonObject clear = new JsonObject().put("id", "7a0c5f4e-2c1b-4f7e-9d51-0c9b8a1e2f30").put("version", 2)
      .putNull("durationSeconds");
    CmsApi.EpisodeUpdate update = CmsApi.EpisodeUpdate.from(clear);
    assertThat(update.durationGiven()).isTrue();
    assertThat(CmsApi.EpisodeUpdate.from(update.toJson())).isEqualTo(update);
    CmsApi.ProgramList list = CmsApi.ProgramList.from(new JsonObject().put("status", "DRAFT").put("sort", "title,desc"));
    assertThat(CmsApi.ProgramList.from(list.toJson())).isEqualTo(list);
  }
}
