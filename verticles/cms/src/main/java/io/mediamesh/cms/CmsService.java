package io.mediamesh.cms;

import io.mediamesh.cms.domain.Change;
import io.mediamesh.cms.domain.Episode;
import io.mediamesh.cms.domain.Program;
import io.mediamesh.cms.domain.Workflow;
import io.mediamesh.cms.domain.Workflow.Action;
import io.mediamesh.cms.persistence.EpisodeRepository;
import io.mediamesh.cms.persistence.ProgramRepository;
import io.mediamesh.common.api.ById;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.validation.Paging;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Programs and episodes and their publishing workflow. Every change is one transaction that also writes its
 * {@code content.*} event (full snapshot, new version) to the outbox; a rejected change writes nothing. The rules
 * live on the domain ({@link Program}, {@link Episode}, {@link Workflow}); this class loads, locks, saves and emits.
 */
public final class CmsService {

  static final String SOURCE = "cms";
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;
  private final Clock clock;
  private final ProgramRepository programs = new ProgramRepository();
  private final EpisodeRepository episodes = new EpisodeRepository();

  public CmsService(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  // ---- programs -----------------------------------------------------------------------------------------------

  public Future<JsonObject> createProgram(Caller caller, CmsApi.ProgramCreate request) {
    Program p = Program.draft(request, caller.userId(), clock);
    return pool.withTransaction(tx -> programs.insert(tx, p).compose(v -> emit(tx, "content.created", p)))
      .map(v -> p.toJson());
  }

  public Future<JsonObject> getProgram(ById request) {
    return programs.byId(pool, request.id())
      .map(p -> p.orElseThrow(() -> ServiceException.notFound("program")).toJson());
  }

  public Future<JsonObject> listPrograms(CmsApi.ProgramList request) {
    Paging paging = Paging.of(request.page(), ProgramRepository.SORTABLE);
    return programs.list(pool, request.status(), paging).compose(items -> programs.count(pool, request.status())
      .map(total -> paging.answer(items.stream().map(Program::toJson).toList(), total)));
  }

  public Future<JsonObject> updateProgram(CmsApi.ProgramUpdate request) {
    return pool.withTransaction(tx -> lockProgram(tx, request.id()).compose(p -> {
      Program next = p.edit(request, clock);
      // a program with episodes cannot become a MOVIE (the lock keeps episodes from being added meanwhile)
      Future<Void> allowed = next.kind() != CmsApi.ProgramKind.MOVIE || p.kind() == CmsApi.ProgramKind.MOVIE
        ? Future.succeededFuture()
        : episodes.count(tx, p.id(), null).compose(n -> n == 0 ? Future.<Void>succeededFuture()
          : Future.failedFuture(ServiceException.conflict("the program has " + n + " episodes: a MOVIE has none")));
      return allowed.compose(x -> programs.save(tx, next)).compose(v -> emit(tx, "content.updated", next))
        .map(v -> next.toJson());
    }));
  }

  /** Hard delete of the program and its episodes; each gets a {@code content.deleted} event. */
  public Future<JsonObject> deleteProgram(ById request) {
    UUID id = request.id();
    return pool.withTransaction(tx -> lockProgram(tx, id).compose(p -> episodes.lockOfProgram(tx, id)
      .compose(children -> {
        Future<Void> chain = Future.succeededFuture();
        for (Episode e : children) {
          chain = chain.compose(v -> emit(tx, "content.deleted", e.deleted(clock)));
        }
        return chain.compose(v -> emit(tx, "content.deleted", p.deleted(clock))).compose(v -> programs.delete(tx, id));
      })).map(v -> new JsonObject()));
  }

  public Future<JsonObject> publishProgram(CmsApi.Publish request) {
    return transitionProgram(request.id(), Action.PUBLISH, request.publishAt());
  }

  public Future<JsonObject> transitionProgram(Action action, ById request) {
    return transitionProgram(request.id(), action, null);
  }

  private Future<JsonObject> transitionProgram(UUID id, Action action, OffsetDateTime publishAt) {
    return pool.withTransaction(tx -> lockProgram(tx, id)
      .compose(p -> applyToProgram(tx, p, action, publishAt))).map(Program::toJson);
  }

  /** Publishes a program whose scheduled time has come (called by the scheduler with the row locked). */
  Future<Void> publishDueProgram(SqlConnection tx, UUID id) {
    return lockProgram(tx, id).compose(p -> applyToProgram(tx, p, Action.PUBLISH, null)).mapEmpty();
  }

  private Future<Program> applyToProgram(SqlConnection tx, Program p, Action action, OffsetDateTime publishAt) {
    Change<Program> change = p.apply(action, publishAt, clock);
    return programs.save(tx, change.next()).compose(v -> emit(tx, change.event(), change.next())).map(change.next());
  }

  // ---- episodes -----------------------------------------------------------------------------------------------

  public Future<JsonObject> createEpisode(CmsApi.EpisodeCreate request) {
    Episode e = Episode.draft(request, clock);
    return pool.withTransaction(tx -> programs.lock(tx, request.programId()).compose(program -> {
      Program parent = program.orElseThrow(() -> ServiceException.validation("programId", "no such program"));
      Workflow.requireNotArchived(parent.status(), "program");
      if (parent.kind() == CmsApi.ProgramKind.MOVIE) {
        throw ServiceException.conflict("the program is a MOVIE: it plays from its own feature asset and has no "
          + "episodes");
      }
      return episodes.insert(tx, e).compose(v -> emit(tx, "content.created", e));
    })).map(v -> e.toJson()).recover(CmsService::numberTaken);
  }

  public Future<JsonObject> getEpisode(ById request) {
    return episodes.byId(pool, request.id())
      .map(e -> e.orElseThrow(() -> ServiceException.notFound("episode")).toJson());
  }

  public Future<JsonObject> listEpisodes(CmsApi.EpisodeList request) {
    Paging paging = Paging.of(request.page(), EpisodeRepository.SORTABLE);
    UUID programId = request.programId();
    Future<Void> exists = programId == null ? Future.succeededFuture()
      : programs.byId(pool, programId).map(p -> {
        p.orElseThrow(() -> ServiceException.notFound("program"));
        return null;
      });
    return exists.compose(v -> episodes.list(pool, programId, request.status(), paging))
      .compose(items -> episodes.count(pool, programId, request.status())
        .map(total -> paging.answer(items.stream().map(Episode::toJson).toList(), total)));
  }

  public Future<JsonObject> updateEpisode(CmsApi.EpisodeUpdate request) {
    return pool.withTransaction(tx -> lockEpisodeAndProgram(tx, request.id()).compose(pair -> {
      Episode next = pair.episode.edit(request, pair.program.status(), clock);
      return episodes.save(tx, next).compose(v -> emit(tx, "content.updated", next)).map(v -> next.toJson());
    })).recover(CmsService::numberTaken);
  }

  public Future<JsonObject> deleteEpisode(ById request) {
    UUID id = request.id();
    return pool.withTransaction(tx -> episodes.lock(tx, id).compose(found -> {
      Episode e = found.orElseThrow(() -> ServiceException.notFound("episode"));
      return emit(tx, "content.deleted", e.deleted(clock)).compose(v -> episodes.delete(tx, id));
    })).map(v -> new JsonObject());
  }

  public Future<JsonObject> publishEpisode(CmsApi.Publish request) {
    return transitionEpisode(request.id(), Action.PUBLISH, request.publishAt());
  }

  public Future<JsonObject> transitionEpisode(Action action, ById request) {
    return transitionEpisode(request.id(), action, null);
  }

  private Future<JsonObject> transitionEpisode(UUID id, Action action, OffsetDateTime publishAt) {
    return pool.withTransaction(tx -> lockEpisodeAndProgram(tx, id)
      .compose(pair -> applyToEpisode(tx, pair, action, publishAt))).map(Episode::toJson);
  }

  Future<Void> publishDueEpisode(SqlConnection tx, UUID id) {
    return lockEpisodeAndProgram(tx, id).compose(pair -> applyToEpisode(tx, pair, Action.PUBLISH, null)).mapEmpty();
  }

  private Future<Episode> applyToEpisode(SqlConnection tx, EpisodeAndProgram pair, Action action,
                                         OffsetDateTime publishAt) {
    if (action == Action.PUBLISH) {
      Workflow.requireNotArchived(pair.program.status(), "program");
    }
    Change<Episode> change = pair.episode.apply(action, publishAt, clock);
    return episodes.save(tx, change.next()).compose(v -> emit(tx, change.event(), change.next())).map(change.next());
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

  private static <T> Future<T> numberTaken(Throwable err) {
    if (err instanceof PgException pe && UNIQUE_VIOLATION.equals(pe.getSqlState())) {
      return Future.failedFuture(new ServiceException(ErrorCode.CONFLICT,
        "episodeNumber: this season already has that episode number",
        new JsonObject().put("fields", new JsonObject().put("episodeNumber", "already taken in this season"))));
    }
    return Future.failedFuture(err);
  }
}
