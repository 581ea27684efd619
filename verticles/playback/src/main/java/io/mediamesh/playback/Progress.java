package io.mediamesh.playback;

import io.mediamesh.common.api.PlaybackApi.ContinueWatching;
import io.mediamesh.common.api.PlaybackApi.History;
import io.mediamesh.playback.persistence.ProgressRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/** A viewer's continue-watching row and history, from the positions their heartbeats saved. */
final class Progress {

  private final Pool pool;
  private final ProgressRepository progress = new ProgressRepository();

  Progress(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> continueWatching(Viewer viewer, ContinueWatching q) {
    return progress.unfinished(pool, viewer.account(), viewer.profile(), viewer.maxAgeRating(), q.size())
      .map(items -> new JsonObject().put("items", new JsonArray(items)));
  }

  Future<JsonObject> history(Viewer viewer, History q) {
    int size = q.page().size();
    Integer limit = viewer.maxAgeRating();
    return Future.all(progress.history(pool, viewer.account(), viewer.profile(), limit, size, q.page().page() * size),
        progress.count(pool, viewer.account(), viewer.profile(), limit))
      .map(all -> new JsonObject().put("items", new JsonArray(all.<java.util.List<JsonObject>>resultAt(0)))
        .put("page", q.page().page()).put("size", size).put("total", all.<Long>resultAt(1)));
  }
}
