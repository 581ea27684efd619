package io.mediamesh.common.api;

import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * What other services ask the CMS over the bus, typed: one place for the questions and what a "no" means. Replies
 * are the CMS's JSON (Program, Episode, Page of them: see {@link CmsApi}).
 */
public final class CmsClient {

  /** How many episodes {@link #findEpisode} reads per page. */
  private static final int PAGE = 100;

  private final BusClient bus;

  public CmsClient(BusClient bus) {
    this.bus = bus;
  }

  /**
   * Whether a program or episode ({@code contentType} PROGRAM or EPISODE) exists, asked as the caller: a 422 naming
   * {@code contentId} when it does not (something made for content that is not there would never be shown), any
   * other failure as it came.
   */
  public Future<Void> requireContent(Caller caller, UUID contentId, String contentType) {
    Operation<ById> get = "PROGRAM".equals(contentType) ? CmsApi.PROGRAM_GET : CmsApi.EPISODE_GET;
    String kind = String.valueOf(contentType).toLowerCase(Locale.ROOT);
    return bus.send(get, new ById(contentId), caller).<Void>mapEmpty()
      .recover(err -> ClientCalls.is(err, ErrorCode.NOT_FOUND)
        ? Future.failedFuture(new ServiceException(ErrorCode.UNPROCESSABLE, "contentId: no " + kind + " with this id",
        new JsonObject().put("fields", new JsonObject().put("contentId", "no such " + kind))))
        : Future.failedFuture(err));
  }

  public Future<JsonObject> createProgram(Caller caller, CmsApi.ProgramCreate request) {
    return bus.send(CmsApi.PROGRAM_CREATE, request, caller);
  }

  /** The program, or empty when there is none (it was deleted). */
  public Future<Optional<JsonObject>> program(Caller caller, UUID id) {
    return ClientCalls.absentIfNotFound(bus.send(CmsApi.PROGRAM_GET, new ById(id), caller));
  }

  /**
   * Updates a program at its current version ({@code atVersion} makes the request for the version read; one more
   * try when an editor saved in between). A program that is gone fails with the 404.
   */
  /** The episode, or empty when there is none (it was deleted). */
  public Future<Optional<JsonObject>> episode(Caller caller, UUID id) {
    return ClientCalls.absentIfNotFound(bus.send(CmsApi.EPISODE_GET, new ById(id), caller));
  }

  public Future<JsonObject> updateProgram(Caller caller, UUID id, IntFunction<CmsApi.ProgramUpdate> atVersion) {
    return ClientCalls.atCurrentVersion(bus, caller, CmsApi.PROGRAM_GET, CmsApi.PROGRAM_UPDATE, id, atVersion);
  }

  public Future<JsonObject> createEpisode(Caller caller, CmsApi.EpisodeCreate request) {
    return bus.send(CmsApi.EPISODE_CREATE, request, caller);
  }

  /**
   * Updates an episode at its current version, as {@link #updateProgram}; empty when the episode no longer exists
   * (deleted in the CMS).
   */
  public Future<Optional<JsonObject>> updateEpisode(Caller caller, UUID id,
                                                    IntFunction<CmsApi.EpisodeUpdate> atVersion) {
    return ClientCalls.absentIfNotFound(
      ClientCalls.atCurrentVersion(bus, caller, CmsApi.EPISODE_GET, CmsApi.EPISODE_UPDATE, id, atVersion));
  }

  /** A page of episodes. */
  public Future<JsonObject> episodes(Caller caller, CmsApi.EpisodeList request) {
    return bus.send(CmsApi.EPISODE_LIST, request, caller);
  }

  /** The episode of a program with these numbers, if any, paging through the program's episodes. */
  public Future<Optional<JsonObject>> findEpisode(Caller caller, UUID programId, int season, int number) {
    return findEpisode(caller, programId, season, number, 0);
  }

  private Future<Optional<JsonObject>> findEpisode(Caller caller, UUID programId, int season, int number, int page) {
    CmsApi.EpisodeList query = new CmsApi.EpisodeList(programId, null,
      new PageRequest(page, PAGE, "seasonNumber", false));
    return episodes(caller, query).compose(answer -> {
      for (Object o : answer.getJsonArray("items")) {
        JsonObject e = (JsonObject) o;
        if (e.getInteger("seasonNumber") == season && e.getInteger("episodeNumber") == number) {
          return Future.succeededFuture(Optional.of(e));
        }
      }
      boolean more = (long) (page + 1) * PAGE < answer.getLong("total", 0L);
      return more ? findEpisode(caller, programId, season, number, page + 1) : Future.succeededFuture(Optional.empty());
    });
  }
}
