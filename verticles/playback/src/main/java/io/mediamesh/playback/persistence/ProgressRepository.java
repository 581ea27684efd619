package io.mediamesh.playback.persistence;

import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.PlaybackApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** SQL for watch progress: one row per viewer (account and profile) and programme, the last position reported. */
public final class ProgressRepository {

  private static final String ITEMS = """
    SELECT w.content_type, w.content_id, w.position_seconds, w.duration_seconds, w.finished, w.updated_at,
           v.title, v.program_id, v.season_number, v.episode_number,
           (SELECT t.title FROM rm_content t WHERE t.id = v.program_id) AS program_title
      FROM watch_progress w
      JOIN rm_visible v ON v.id = w.content_id AND v.type = w.content_type
     WHERE w.account_id = $1 AND w.profile_id = $2 AND ($3::int IS NULL OR v.rating <= $3)""";

  public Future<Void> save(SqlClient db, String account, String profile, ContentType type, UUID id, int position,
                           Integer duration, boolean finished, OffsetDateTime now) {
    return db.preparedQuery("INSERT INTO watch_progress (account_id, profile_id, content_type, content_id, "
        + "position_seconds, duration_seconds, finished, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        + "ON CONFLICT (account_id, profile_id, content_type, content_id) DO UPDATE SET "
        + "position_seconds = EXCLUDED.position_seconds, duration_seconds = EXCLUDED.duration_seconds, "
        + "finished = EXCLUDED.finished, updated_at = EXCLUDED.updated_at")
      .execute(Tuple.tuple(Arrays.asList(account, profile, type.name(), id, position, duration, finished, now)))
      .mapEmpty();
  }

  /** Where to resume: the last position, or 0 when there is none or the programme was watched to the end. */
  public Future<Integer> resumeAt(SqlClient db, String account, String profile, ContentType type, UUID id) {
    return db.preparedQuery("SELECT position_seconds, finished FROM watch_progress WHERE account_id = $1 "
        + "AND profile_id = $2 AND content_type = $3 AND content_id = $4")
      .execute(Tuple.of(account, profile, type.name(), id))
      .map(rows -> {
        var it = rows.iterator();
        if (!it.hasNext()) {
          return 0;
        }
        Row r = it.next();
        return r.getBoolean("finished") ? 0 : r.getInteger("position_seconds");
      });
  }

  /**
   * Started and unfinished programmes that are still visible, within the viewer's age limit ({@code limit}, null for
   * none: a profile whose limit was lowered no longer lists what it watched before), newest first.
   */
  public Future<List<JsonObject>> unfinished(SqlClient db, String account, String profile, Integer limit, int size) {
    return db.preparedQuery(ITEMS + " AND NOT w.finished AND w.position_seconds > 0 "
        + "ORDER BY w.updated_at DESC, w.content_id LIMIT $4")
      .execute(Tuple.of(account, profile, limit, size))
      .map(ProgressRepository::items);
  }

  public Future<List<JsonObject>> history(SqlClient db, String account, String profile, Integer limit, int size,
                                          int offset) {
    return db.preparedQuery(ITEMS + " ORDER BY w.updated_at DESC, w.content_id LIMIT $4 OFFSET $5")
      .execute(Tuple.of(account, profile, limit, size, offset))
      .map(ProgressRepository::items);
  }

  /** How many visible programmes within the limit the viewer has a position in (the history's total). */
  public Future<Long> count(SqlClient db, String account, String profile, Integer limit) {
    return db.preparedQuery("SELECT count(*) FROM watch_progress w JOIN rm_visible v ON v.id = w.content_id "
        + "AND v.type = w.content_type WHERE w.account_id = $1 AND w.profile_id = $2 "
        + "AND ($3::int IS NULL OR v.rating <= $3)")
      .execute(Tuple.of(account, profile, limit)).map(rows -> rows.iterator().next().getLong(0));
  }

  private static List<JsonObject> items(io.vertx.sqlclient.RowSet<Row> rows) {
    List<JsonObject> out = new ArrayList<>();
    rows.forEach(r -> {
      UUID program = r.getUUID("program_id");
      out.add(new JsonObject()
        .put("contentType", PlaybackApi.name(ContentType.valueOf(r.getString("content_type"))))
        .put("contentId", r.getUUID("content_id").toString()).put("title", r.getString("title"))
        .put("programId", program == null ? null : program.toString())
        .put("programTitle", r.getString("program_title"))
        .put("seasonNumber", r.getInteger("season_number")).put("episodeNumber", r.getInteger("episode_number"))
        .put("positionSeconds", r.getInteger("position_seconds"))
        .put("durationSeconds", r.getInteger("duration_seconds")).put("finished", r.getBoolean("finished"))
        .put("updatedAt", r.getOffsetDateTime("updated_at").toInstant().toString()));
    });
    return out;
  }
}
