package io.mediamesh.ingest.run;

import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.UUID;

/**
 * The CMS and metadata services as ingest uses them, over the bus with the service account's token: never their
 * databases. Updates read the current version first and, if an editor saved in between (409), read and try once
 * more, so an import does not fail on an ordinary race.
 */
final class ContentClient {

  private static final int PAGE = 100;

  private final BusClient bus;

  ContentClient(BusClient bus) {
    this.bus = bus;
  }

  Future<UUID> createProgram(Caller caller, JsonObject fields) {
    return bus.<JsonObject>request(CmsApi.PROGRAM_CREATE, fields, caller).map(ContentClient::id);
  }

  /** The program, or empty when it was deleted in the CMS. */
  Future<Optional<JsonObject>> program(Caller caller, UUID id) {
    return absentOn404(bus.request(CmsApi.PROGRAM_GET, new JsonObject().put("id", id.toString()), caller));
  }

  Future<Void> updateProgram(Caller caller, UUID id, JsonObject fields) {
    return update(caller, CmsApi.PROGRAM_GET, CmsApi.PROGRAM_UPDATE, id, fields, true);
  }

  Future<UUID> createEpisode(Caller caller, JsonObject fields) {
    return bus.<JsonObject>request(CmsApi.EPISODE_CREATE, fields, caller).map(ContentClient::id);
  }

  /** Updates an episode; false when it no longer exists (deleted in the CMS). */
  Future<Boolean> updateEpisode(Caller caller, UUID id, JsonObject fields) {
    return update(caller, CmsApi.EPISODE_GET, CmsApi.EPISODE_UPDATE, id, fields, true).map(true)
      .recover(err -> isCode(err, ErrorCode.NOT_FOUND) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** The episode of a program with these numbers (one an interrupted import created), if any. */
  Future<Optional<UUID>> findEpisode(Caller caller, UUID programId, int season, int number, int page) {
    JsonObject query = new JsonObject().put("programId", programId.toString()).put("page", page).put("size", PAGE)
      .put("sort", "seasonNumber");
    return bus.<JsonObject>request(CmsApi.EPISODE_LIST, query, caller).compose(answer -> {
      for (Object o : answer.getJsonArray("items")) {
        JsonObject e = (JsonObject) o;
        if (e.getInteger("seasonNumber") == season && e.getInteger("episodeNumber") == number) {
          return Future.succeededFuture(Optional.of(id(e)));
        }
      }
      boolean more = (long) (page + 1) * PAGE < answer.getLong("total", 0L);
      return more ? findEpisode(caller, programId, season, number, page + 1) : Future.succeededFuture(Optional.empty());
    });
  }

  /** Creates the content's metadata, or replaces its fields when it has some. */
  Future<UUID> saveMetadata(Caller caller, UUID contentId, String contentType, JsonObject fields) {
    return absentOn404(bus.<JsonObject>request(MetadataApi.BY_CONTENT,
      new JsonObject().put("contentId", contentId.toString()), caller)).compose(found -> {
        if (found.isEmpty()) {
          return bus.<JsonObject>request(MetadataApi.CREATE, fields.copy().put("contentId", contentId.toString())
            .put("contentType", contentType), caller).map(ContentClient::id);
        }
        UUID id = id(found.get());
        return update(caller, MetadataApi.GET, MetadataApi.UPDATE, id, fields, true).map(id);
      });
  }

  private Future<Void> update(Caller caller, Operation<?> get, Operation<?> update, UUID id, JsonObject fields, boolean again) {
    return bus.<JsonObject>request(get, new JsonObject().put("id", id.toString()), caller)
      .compose(current -> bus.<JsonObject>request(update, fields.copy().put("id", id.toString())
        .put("version", current.getInteger("version")), caller))
      .<Void>mapEmpty()
      .recover(err -> again && isCode(err, ErrorCode.CONFLICT) && err instanceof ServiceException se
        && se.details() != null && se.details().containsKey("currentVersion")
        ? update(caller, get, update, id, fields, false) : Future.failedFuture(err));
  }

  private static Future<Optional<JsonObject>> absentOn404(Future<JsonObject> request) {
    return request.map(Optional::of).recover(err -> isCode(err, ErrorCode.NOT_FOUND)
      ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(err));
  }

  static boolean isCode(Throwable err, ErrorCode code) {
    return err instanceof ServiceException se && se.code() == code;
  }

  private static UUID id(JsonObject o) {
    return UUID.fromString(o.getString("id"));
  }
}
