package io.mediamesh.discovery;

import io.mediamesh.common.db.Times;
import io.mediamesh.common.readmodel.MediaUrls;
import io.mediamesh.common.validation.Paging;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.util.UUID;

/** The database side of discovery: reads over {@code rm_visible} (published content only), shaped for the API. */
final class ReadModel {

  private static final String PROGRAM_COLUMNS = """
    v.*, (SELECT count(*) FROM rm_visible e WHERE e.program_id = v.id AND e.type = 'EPISODE') AS episode_count""";

  private final Pool pool;
  private final MediaUrls urls;

  ReadModel(Pool pool, MediaUrls urls) {
    this.pool = pool;
    this.urls = urls;
  }

  Future<JsonObject> program(UUID id) {
    return pool.preparedQuery("SELECT " + PROGRAM_COLUMNS + " FROM rm_visible v WHERE v.id = $1 AND v.type = 'PROGRAM'")
      .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : program(rows.iterator().next()));
  }

  Future<JsonObject> episode(UUID id) {
    return pool.preparedQuery("SELECT v.* FROM rm_visible v WHERE v.id = $1 AND v.type = 'EPISODE'")
      .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : episode(rows.iterator().next()));
  }

  /**
   * The condition that content's effective rating is within the limit of parameter {@code $n} (null: no limit);
   * unrated content is not (a null rating compares to nothing).
   */
  private static String within(int n) {
    return " AND ($" + n + "::int IS NULL OR v.rating <= $" + n + ")";
  }

  Future<JsonObject> programs(String category, String language, Integer limit, Paging paging) {
    String where = " FROM rm_visible v WHERE v.type = 'PROGRAM' AND ($1::text IS NULL OR v.category = $1)"
      + " AND ($2::text IS NULL OR v.language = $2)" + within(3);
    Tuple params = Tuple.of(category, language, limit, paging.size(), paging.page() * paging.size());
    Future<RowSet<Row>> items = pool.preparedQuery("SELECT " + PROGRAM_COLUMNS + where + " ORDER BY "
      + paging.orderBy() + " LIMIT $4 OFFSET $5").execute(params);
    Future<RowSet<Row>> total = pool.preparedQuery("SELECT count(*)" + where)
      .execute(Tuple.of(category, language, limit));
    return Future.all(items, total).map(all -> page(items.result(), total.result(), paging, true));
  }

  /**
   * The episodes of a visible program within the age limit (null when the program is not visible or not within it),
   * by season and number.
   */
  Future<JsonObject> episodesOf(UUID programId, Integer limit, Paging paging) {
    return pool.preparedQuery("SELECT 1 FROM rm_visible v WHERE v.id = $1 AND v.type = 'PROGRAM'" + within(2))
      .execute(Tuple.of(programId, limit))
      .compose(found -> {
        if (found.size() == 0) {
          return Future.succeededFuture(null);
        }
        String where = " FROM rm_visible v WHERE v.program_id = $1 AND v.type = 'EPISODE'" + within(2);
        Future<RowSet<Row>> items = pool.preparedQuery("SELECT v.*" + where + " ORDER BY " + paging.orderBy()
          + " LIMIT $3 OFFSET $4").execute(Tuple.of(programId, limit, paging.size(), paging.page() * paging.size()));
        Future<RowSet<Row>> total = pool.preparedQuery("SELECT count(*)" + where).execute(Tuple.of(programId, limit));
        return Future.all(items, total).map(all -> page(items.result(), total.result(), paging, false));
      });
  }

  /**
   * A page of episodes of each visible program of {@code ids}, numbered per program by the page's order with a window
   * function: one query however many programs. A program not visible (or without episodes) has an empty page.
   */
  Future<JsonObject> episodesOfMany(java.util.List<UUID> ids, Integer limit, Paging paging) {
    // numbered on the sort columns alone (the view's media lookups are not computed for rows off the page), then
    // the page's rows read whole
    String sql = "WITH ranked AS (SELECT v.id, v.program_id, row_number() OVER (PARTITION BY v.program_id ORDER BY "
      + paging.orderBy() + ") AS rn FROM rm_visible v WHERE v.program_id = ANY($1) AND v.type = 'EPISODE'"
      + within(4) + ") SELECT v.*, r.rn FROM ranked r JOIN rm_visible v ON v.id = r.id"
      + " WHERE r.rn > $2 AND r.rn <= $3 ORDER BY r.program_id, r.rn";
    long from = paging.offset();
    return pool.preparedQuery(sql).execute(Tuple.of(ids.toArray(new UUID[0]), from, from + paging.size(), limit))
      .compose(rows -> pool.preparedQuery("SELECT v.program_id, count(*) FROM rm_visible v WHERE v.program_id = ANY($1)"
          + " AND v.type = 'EPISODE'" + within(2) + " GROUP BY v.program_id")
          .execute(Tuple.of(ids.toArray(new UUID[0]), limit))
        .map(totals -> {
          java.util.Map<UUID, Long> total = new java.util.HashMap<>();
          totals.forEach(r -> total.put(r.getUUID(0), r.getLong(1)));
          java.util.Map<UUID, JsonArray> items = new java.util.LinkedHashMap<>();
          rows.forEach(r -> items.computeIfAbsent(r.getUUID("program_id"), k -> new JsonArray()).add(episode(r)));
          JsonArray out = new JsonArray();
          for (UUID id : ids) {
            out.add(new JsonObject().put("programId", id.toString()).put("page", new JsonObject()
              .put("items", items.getOrDefault(id, new JsonArray())).put("page", paging.page())
              .put("size", paging.size()).put("total", total.getOrDefault(id, 0L))));
          }
          return new JsonObject().put("items", out);
        }));
  }

  Future<JsonObject> categories(Integer limit) {
    return pool.preparedQuery("SELECT v.category, count(*) AS programs FROM rm_visible v WHERE v.type = 'PROGRAM' "
      + "AND v.category IS NOT NULL" + within(1) + " GROUP BY v.category ORDER BY programs DESC, v.category")
      .execute(Tuple.of(limit)).map(rows -> {
        JsonArray items = new JsonArray();
        rows.forEach(r -> items.add(new JsonObject().put("category", r.getString("category"))
          .put("programs", r.getLong("programs"))));
        return new JsonObject().put("items", items);
      });
  }

  private JsonObject page(RowSet<Row> rows, RowSet<Row> total, Paging paging, boolean programs) {
    JsonArray items = new JsonArray();
    rows.forEach(r -> items.add(programs ? program(r) : episode(r)));
    return new JsonObject().put("items", items).put("page", paging.page()).put("size", paging.size())
      .put("total", total.iterator().next().getLong(0));
  }

  private JsonObject program(Row r) {
    return common(r).put("episodeCount", r.getLong("episode_count"));
  }

  private JsonObject episode(Row r) {
    return common(r)
      .put("programId", r.getUUID("program_id").toString())
      .put("seasonNumber", r.getInteger("season_number"))
      .put("episodeNumber", r.getInteger("episode_number"))
      .put("mediaUrl", urls.url(r.getString("media_key")));
  }

  private JsonObject common(Row r) {
    return new JsonObject()
      .put("id", r.getUUID("id").toString())
      .put("title", r.getString("title"))
      .put("description", r.getString("description"))
      .put("category", r.getString("category"))
      .put("language", r.getString("language"))
      .put("tags", array(r.getArrayOfStrings("tags")))
      .put("durationSeconds", r.getInteger("duration_seconds"))
      .put("publishDate", text(r.getLocalDate("publish_date")))
      .put("publishedAt", Times.text(r.getOffsetDateTime("published_at")))
      .put("thumbnailUrl", urls.url(r.getString("thumbnail_key")))
      .put("kind", r.getString("kind"))
      .put("genres", array(r.getArrayOfStrings("genres")))
      .put("ageRating", r.getInteger("rating"))
      .put("version", r.getInteger("version"));
  }

  private static JsonArray array(String[] values) {
    return values == null ? new JsonArray() : new JsonArray(java.util.List.of((Object[]) values));
  }

  private static String text(LocalDate d) {
    return d == null ? null : d.toString();
  }
}
