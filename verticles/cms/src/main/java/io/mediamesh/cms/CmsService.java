package io.mediamesh.cms;

import io.mediamesh.common.api.Limits;
import io.mediamesh.cms.domain.Episode;
import io.mediamesh.cms.domain.Program;
import io.mediamesh.cms.domain.Status;
import io.mediamesh.cms.persistence.EpisodeRepository;
import io.mediamesh.cms.persistence.ProgramRepository;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.validation.Fields;
import io.mediamesh.common.validation.Paging;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Programs and episodes and their publishing workflow. Every change is one transaction that also writes its
 * {@code content.*} event (full snapshot, new version) to the outbox; a rejected change writes nothing.
 */
public final class CmsService {

  static final String SOURCE = "cms";
  private static final String UNIQUE_VIOLATION = "23505";
  static final int TITLE_MAX = Limits.TITLE_MAX;
  static final int DESCRIPTION_MAX = Limits.DESCRIPTION_MAX;

  private final Pool pool;
  private final ProgramRepository programs = new ProgramRepository();
  private final EpisodeRepository episodes = new EpisodeRepository();

  public CmsService(Pool pool) {
    this.pool = pool;
  }

  enum Action { PUBLISH, UNPUBLISH, ARCHIVE, RESTORE }

  // ---- programs -----------------------------------------------------------------------------------------------

  public Future<JsonObject> createProgram(Caller caller, JsonObject body) {
    Fields f = Fields.of(body);
    String title = f.text("title", true, TITLE_MAX);
    String description = f.text("description", false, DESCRIPTION_MAX);
    f.validate();
    OffsetDateTime now = now();
    Program p = new Program(UUID.randomUUID(), title, description == null ? "" : description, Status.DRAFT, null, null,
      now, now, caller.userId(), 1);
    return pool.withTransaction(tx -> programs.insert(tx, p).compose(v -> emit(tx, "content.created", p)))
      .map(v -> p.toJson());
  }

  public Future<JsonObject> getProgram(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return programs.byId(pool, id).map(p -> p.orElseThrow(() -> ServiceException.notFound("program")).toJson());
  }

  public Future<JsonObject> listPrograms(JsonObject body) {
    Fields f = Fields.of(body);
    Status status = f.enumValue("status", Status.class, false);
    Paging paging = Paging.from(f, ProgramRepository.SORTABLE, "createdAt,desc");
    f.validate();
    return programs.list(pool, status, paging).compose(items -> programs.count(pool, status)
      .map(total -> paging.answer(items.stream().map(Program::toJson).toList(), total)));
  }

  public Future<JsonObject> updateProgram(JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("id", true);
    Integer version = f.requiredInteger("version", 1, Integer.MAX_VALUE);
    String title = f.has("title") ? f.text("title", true, TITLE_MAX) : null;
    String description = f.has("description") ? f.text("description", false, DESCRIPTION_MAX) : null;
    f.validate();
    return pool.withTransaction(tx -> lockProgram(tx, id).compose(p -> {
      checkVersion(p.version(), version);
      requireNotArchived(p.status(), "program");
      Program next = new Program(p.id(), title != null ? title : p.title(),
        description != null ? description : p.description(), p.status(), p.publishAt(), p.publishedAt(),
        p.createdAt(), now(), p.createdBy(), p.version() + 1);
      return programs.save(tx, next).compose(v -> emit(tx, "content.updated", next)).map(v -> next.toJson());
    }));
  }

  /** Hard delete of the program and its episodes; each gets a {@code content.deleted} event. */
  public Future<JsonObject> deleteProgram(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return pool.withTransaction(tx -> lockProgram(tx, id).compose(p -> episodes.lockOfProgram(tx, id)
      .compose(children -> {
        OffsetDateTime now = now();
        Future<Void> chain = Future.succeededFuture();
        for (Episode e : children) {
          chain = chain.compose(v -> emit(tx, "content.deleted", withVersion(e, e.version() + 1, now)));
        }
        Program gone = new Program(p.id(), p.title(), p.description(), p.status(), p.publishAt(), p.publishedAt(),
          p.createdAt(), now, p.createdBy(), p.version() + 1);
        return chain.compose(v -> emit(tx, "content.deleted", gone)).compose(v -> programs.delete(tx, id));
      })).map(v -> new JsonObject()));
  }

  public Future<JsonObject> transitionProgram(Action action, JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("id", true);
    OffsetDateTime publishAt = action == Action.PUBLISH ? f.instant("publishAt", false) : null;
    f.validate();
    return pool.withTransaction(tx -> lockProgram(tx, id)
      .compose(p -> applyToProgram(tx, p, action, publishAt))).map(Program::toJson);
  }

  /** Publishes a program whose scheduled time has come (called by the scheduler with the row locked). */
  Future<Void> publishDueProgram(SqlConnection tx, UUID id) {
    return lockProgram(tx, id).compose(p -> applyToProgram(tx, p, Action.PUBLISH, null)).mapEmpty();
  }

  private Future<Program> applyToProgram(SqlConnection tx, Program p, Action action, OffsetDateTime publishAt) {
    Transition t = transition(p.status(), p.publishAt(), p.publishedAt(), action, publishAt, "program");
    Program next = new Program(p.id(), p.title(), p.description(), t.status, t.publishAt, t.publishedAt,
      p.createdAt(), now(), p.createdBy(), p.version() + 1);
    return programs.save(tx, next).compose(v -> emit(tx, t.event, next)).map(next);
  }

  // ---- episodes -----------------------------------------------------------------------------------------------

  public Future<JsonObject> createEpisode(JsonObject body) {
    Fields f = Fields.of(body);
    UUID programId = f.uuid("programId", true);
    Integer season = f.requiredInteger("seasonNumber", Limits.SEASON_MIN, Limits.SEASON_MAX);
    Integer number = f.requiredInteger("episodeNumber", Limits.EPISODE_NUMBER_MIN, Limits.EPISODE_NUMBER_MAX);
    String title = f.text("title", true, TITLE_MAX);
    String description = f.text("description", false, DESCRIPTION_MAX);
    Integer duration = f.integer("durationSeconds", null, 0, Limits.DURATION_MAX);
    f.validate();
    OffsetDateTime now = now();
    Episode e = new Episode(UUID.randomUUID(), programId, season, number, title, description == null ? "" : description,
      duration, Status.DRAFT, null, null, now, now, 1);
    return pool.withTransaction(tx -> programs.lock(tx, programId).compose(program -> {
      Program parent = program.orElseThrow(() -> ServiceException.validation("programId", "no such program"));
      requireNotArchived(parent.status(), "program");
      return episodes.insert(tx, e).compose(v -> emit(tx, "content.created", e));
    })).map(v -> e.toJson()).recover(CmsService::numberTaken);
  }

  public Future<JsonObject> getEpisode(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return episodes.byId(pool, id).map(e -> e.orElseThrow(() -> ServiceException.notFound("episode")).toJson());
  }

  public Future<JsonObject> listEpisodes(JsonObject body) {
    Fields f = Fields.of(body);
    UUID programId = f.uuid("programId", false);
    Status status = f.enumValue("status", Status.class, false);
    Paging paging = Paging.from(f, EpisodeRepository.SORTABLE, "seasonNumber");
    f.validate();
    Future<Void> exists = programId == null ? Future.succeededFuture()
      : programs.byId(pool, programId).map(p -> {
        p.orElseThrow(() -> ServiceException.notFound("program"));
        return null;
      });
    return exists.compose(v -> episodes.list(pool, programId, status, paging))
      .compose(items -> episodes.count(pool, programId, status)
        .map(total -> paging.answer(items.stream().map(Episode::toJson).toList(), total)));
  }

  public Future<JsonObject> updateEpisode(JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("id", true);
    Integer version = f.requiredInteger("version", 1, Integer.MAX_VALUE);
    String title = f.has("title") ? f.text("title", true, TITLE_MAX) : null;
    String description = f.has("description") ? f.text("description", false, DESCRIPTION_MAX) : null;
    Integer season = f.integer("seasonNumber", null, Limits.SEASON_MIN, Limits.SEASON_MAX);
    Integer number = f.integer("episodeNumber", null, Limits.EPISODE_NUMBER_MIN, Limits.EPISODE_NUMBER_MAX);
    Integer duration = f.integer("durationSeconds", null, 0, Limits.DURATION_MAX);
    f.validate();
    return pool.withTransaction(tx -> lockEpisodeAndProgram(tx, id).compose(pair -> {
      Episode e = pair.episode;
      checkVersion(e.version(), version);
      requireNotArchived(pair.program.status(), "program");
      requireNotArchived(e.status(), "episode");
      Episode next = new Episode(e.id(), e.programId(), season != null ? season : e.seasonNumber(),
        number != null ? number : e.episodeNumber(), title != null ? title : e.title(),
        description != null ? description : e.description(), body.containsKey("durationSeconds") ? duration
        : e.durationSeconds(), e.status(), e.publishAt(), e.publishedAt(), e.createdAt(), now(), e.version() + 1);
      return episodes.save(tx, next).compose(v -> emit(tx, "content.updated", next)).map(v -> next.toJson());
    })).recover(CmsService::numberTaken);
  }

  public Future<JsonObject> deleteEpisode(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return pool.withTransaction(tx -> episodes.lock(tx, id).compose(found -> {
      Episode e = found.orElseThrow(() -> ServiceException.notFound("episode"));
      return emit(tx, "content.deleted", withVersion(e, e.version() + 1, now())).compose(v -> episodes.delete(tx, id));
    })).map(v -> new JsonObject());
  }

  public Future<JsonObject> transitionEpisode(Action action, JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("id", true);
    OffsetDateTime publishAt = action == Action.PUBLISH ? f.instant("publishAt", false) : null;
    f.validate();
    return pool.withTransaction(tx -> lockEpisodeAndProgram(tx, id)
      .compose(pair -> applyToEpisode(tx, pair, action, publishAt))).map(Episode::toJson);
  }

  Future<Void> publishDueEpisode(SqlConnection tx, UUID id) {
    return lockEpisodeAndProgram(tx, id).compose(pair -> applyToEpisode(tx, pair, Action.PUBLISH, null)).mapEmpty();
  }

  private Future<Episode> applyToEpisode(SqlConnection tx, EpisodeAndProgram pair, Action action,
                                         OffsetDateTime publishAt) {
    Episode e = pair.episode;
    if (action == Action.PUBLISH) {
      requireNotArchived(pair.program.status(), "program");
    }
    Transition t = transition(e.status(), e.publishAt(), e.publishedAt(), action, publishAt, "episode");
    Episode next = new Episode(e.id(), e.programId(), e.seasonNumber(), e.episodeNumber(), e.title(), e.description(),
      e.durationSeconds(), t.status, t.publishAt, t.publishedAt, e.createdAt(), now(), e.version() + 1);
    return episodes.save(tx, next).compose(v -> emit(tx, t.event, next)).map(next);
  }

  // ---- the workflow -------------------------------------------------------------------------------------------

  /** The state after an action, and the event it publishes; a transition the status does not allow is a 409. */
  private record Transition(Status status, OffsetDateTime publishAt, OffsetDateTime publishedAt, String event) {
  }

  private static Transition transition(Status status, OffsetDateTime scheduled, OffsetDateTime publishedAt,
                                       Action action, OffsetDateTime publishAt, String what) {
    OffsetDateTime now = now();
    switch (action) {
      case PUBLISH -> {
        if (status == Status.ARCHIVED) {
          throw conflict(what + " is archived; restore it first");
        }
        if (status == Status.PUBLISHED) {
          throw conflict(what + " is already published");
        }
        if (publishAt != null && publishAt.isAfter(now)) {
          return new Transition(status, publishAt, publishedAt, "content.updated"); // scheduled
        }
        return new Transition(Status.PUBLISHED, null, now, "content.published");
      }
      case UNPUBLISH -> {
        if (status == Status.PUBLISHED) {
          return new Transition(Status.UNPUBLISHED, null, publishedAt, "content.unpublished");
        }
        if (status.publishable() && scheduled != null) {
          return new Transition(status, null, publishedAt, "content.updated"); // cancels the schedule
        }
        throw conflict(what + " is not published");
      }
      case ARCHIVE -> {
        if (status == Status.ARCHIVED) {
          throw conflict(what + " is already archived");
        }
        return new Transition(Status.ARCHIVED, null, publishedAt, "content.archived");
      }
      case RESTORE -> {
        if (status != Status.ARCHIVED) {
          throw conflict(what + " is not archived");
        }
        return new Transition(Status.DRAFT, null, publishedAt, "content.updated");
      }
      default -> throw new IllegalStateException(action.name());
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private record EpisodeAndProgram(Episode episode, Program program) {
  }

  private Future<EpisodeAndProgram> lockEpisodeAndProgram(SqlConnection tx, UUID episodeId) {
    return episodes.byId(tx, episodeId).compose(found -> {
      Episode unlocked = found.orElseThrow(() -> ServiceException.notFound("episode"));
      // program first, then episode: the same lock order as program-level operations, so no deadlock
      return programs.lock(tx, unlocked.programId()).compose(program -> episodes.lock(tx, episodeId)
        .map(e -> new EpisodeAndProgram(e.orElseThrow(() -> ServiceException.notFound("episode")),
          program.orElseThrow(() -> ServiceException.notFound("program")))));
    });
  }

  private Future<Program> lockProgram(SqlConnection tx, UUID id) {
    return programs.lock(tx, id).map(p -> p.orElseThrow(() -> ServiceException.notFound("program")));
  }

  private static Future<Void> emit(SqlConnection tx, String type, Program p) {
    return Outbox.append(tx, Topics.CONTENT, EventEnvelope.create(type, SOURCE, p.id().toString(),
      p.toJson().put("contentType", "PROGRAM")));
  }

  private static Future<Void> emit(SqlConnection tx, String type, Episode e) {
    return Outbox.append(tx, Topics.CONTENT, EventEnvelope.create(type, SOURCE, e.id().toString(),
      e.toJson().put("contentType", "EPISODE")));
  }

  private static Episode withVersion(Episode e, int version, OffsetDateTime at) {
    return new Episode(e.id(), e.programId(), e.seasonNumber(), e.episodeNumber(), e.title(), e.description(),
      e.durationSeconds(), e.status(), e.publishAt(), e.publishedAt(), e.createdAt(), at, version);
  }

  private static void checkVersion(int current, Integer expected) {
    if (current != expected) {
      throw ServiceException.staleVersion(expected, current);
    }
  }

  private static void requireNotArchived(Status status, String what) {
    if (status == Status.ARCHIVED) {
      throw conflict(what + " is archived; restore it first");
    }
  }

  private static <T> Future<T> numberTaken(Throwable err) {
    if (err instanceof PgException pe && UNIQUE_VIOLATION.equals(pe.getSqlState())) {
      return Future.failedFuture(new ServiceException(ErrorCode.CONFLICT,
        "episodeNumber: this season already has that episode number",
        new JsonObject().put("fields", new JsonObject().put("episodeNumber", "already taken in this season"))));
    }
    return Future.failedFuture(err);
  }

  private static ServiceException conflict(String message) {
    return ServiceException.conflict(message);
  }

  /** Microsecond precision: what PostgreSQL keeps, so snapshots in events equal what is read back. */
  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
