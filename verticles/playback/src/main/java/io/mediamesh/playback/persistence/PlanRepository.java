package io.mediamesh.playback.persistence;

import io.mediamesh.common.api.PlaybackApi.PlanWrite;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for plans. A plan is never deleted (rights refer to it); it is made inactive instead. */
public final class PlanRepository {

  private static final String COLUMNS = "id, name, description, price, currency, period_days, packages, max_streams, "
    + "max_quality, evict_oldest, active, created_at, updated_at";

  /** A plan as stored. */
  public record Plan(UUID id, String name, String description, int price, String currency, int periodDays,
                     List<String> packages, int maxStreams, Integer maxQuality, boolean evictOldest, boolean active,
                     OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("name", name).put("description", description)
        .put("price", price).put("currency", currency).put("periodDays", periodDays)
        .put("packages", new JsonArray(packages)).put("maxStreams", maxStreams).put("maxQuality", maxQuality)
        .put("evictOldest", evictOldest).put("active", active).put("createdAt", createdAt.toInstant().toString())
        .put("updatedAt", updatedAt.toInstant().toString());
    }
  }

  public Future<Plan> insert(SqlClient db, UUID id, PlanWrite w, String currency, OffsetDateTime now) {
    return db.preparedQuery("INSERT INTO plans (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        + "$11, $12, $12) RETURNING " + COLUMNS)
      .execute(Tuple.tuple(Arrays.asList(id, w.name(), w.description(), w.price(), currency, w.periodDays(),
        w.packages().toArray(new String[0]), w.maxStreams(), w.maxQuality(), w.evictOldest(), w.active(), now)))
      .map(rows -> plan(rows.iterator().next()));
  }

  public Future<Optional<Plan>> update(SqlClient db, PlanWrite w, String currency, OffsetDateTime now) {
    return db.preparedQuery("UPDATE plans SET name = $2, description = $3, price = $4, currency = $5, "
        + "period_days = $6, packages = $7, max_streams = $8, max_quality = $9, evict_oldest = $10, active = $11, "
        + "updated_at = $12 WHERE id = $1 RETURNING " + COLUMNS)
      .execute(Tuple.tuple(Arrays.asList(w.id(), w.name(), w.description(), w.price(), currency, w.periodDays(),
        w.packages().toArray(new String[0]), w.maxStreams(), w.maxQuality(), w.evictOldest(), w.active(), now)))
      .map(PlanRepository::first);
  }

  public Future<Optional<Plan>> byId(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM plans WHERE id = $1").execute(Tuple.of(id))
      .map(PlanRepository::first);
  }

  public Future<List<Plan>> list(SqlClient db, boolean activeOnly) {
    return db.query("SELECT " + COLUMNS + " FROM plans" + (activeOnly ? " WHERE active" : "")
        + " ORDER BY price, name, id").execute()
      .map(rows -> {
        List<Plan> out = new ArrayList<>();
        rows.forEach(r -> out.add(plan(r)));
        return out;
      });
  }

  private static Optional<Plan> first(io.vertx.sqlclient.RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(plan(it.next())) : Optional.empty();
  }

  static Plan plan(Row r) {
    return new Plan(r.getUUID("id"), r.getString("name"), r.getString("description"), r.getInteger("price"),
      r.getString("currency"), r.getInteger("period_days"), List.of(r.getArrayOfStrings("packages")),
      r.getInteger("max_streams"), r.getInteger("max_quality"), r.getBoolean("evict_oldest"), r.getBoolean("active"),
      r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }
}
