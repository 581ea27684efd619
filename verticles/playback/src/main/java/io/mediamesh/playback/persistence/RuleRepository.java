package io.mediamesh.playback.persistence;

import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.PlaybackApi.ContentAccess;
import io.mediamesh.common.api.PlaybackApi.RightsPut;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** SQL for the access rules of programs and episodes. */
public final class RuleRepository {

  /** A stored rule. */
  public record Rule(ContentType type, UUID id, ContentAccess access, Instant availableFrom, Instant availableUntil,
                     String updatedBy, Instant updatedAt) {
  }

  public Future<Rule> put(SqlClient db, RightsPut put, String updatedBy, OffsetDateTime now) {
    return db.preparedQuery("INSERT INTO access_rules (content_type, content_id, access, available_from, "
        + "available_until, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        + "ON CONFLICT (content_type, content_id) DO UPDATE SET access = EXCLUDED.access, "
        + "available_from = EXCLUDED.available_from, available_until = EXCLUDED.available_until, "
        + "updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at "
        + "RETURNING content_type, content_id, access, available_from, available_until, updated_by, updated_at")
      .execute(Tuple.tuple(Arrays.asList(put.type().name(), put.id(), put.access().toJson(), put.availableFrom(),
        put.availableUntil(), updatedBy, now)))
      .map(rows -> rule(rows.iterator().next()));
  }

  /** The rules of these contents (a program and an episode at most, usually), by content id. */
  public Future<Map<UUID, Rule>> of(SqlClient db, UUID... ids) {
    return db.preparedQuery("SELECT content_type, content_id, access, available_from, available_until, updated_by, "
        + "updated_at FROM access_rules WHERE content_id = ANY($1)")
      .execute(Tuple.of(ids))
      .map(rows -> {
        Map<UUID, Rule> out = new HashMap<>();
        rows.forEach(r -> out.put(r.getUUID("content_id"), rule(r)));
        return out;
      });
  }

  private static Rule rule(Row r) {
    OffsetDateTime from = r.getOffsetDateTime("available_from");
    OffsetDateTime until = r.getOffsetDateTime("available_until");
    return new Rule(ContentType.valueOf(r.getString("content_type")), r.getUUID("content_id"),
      ContentAccess.fromJson((JsonObject) r.getValue("access")), from == null ? null : from.toInstant(),
      until == null ? null : until.toInstant(), r.getString("updated_by"), r.getOffsetDateTime("updated_at").toInstant());
  }
}
