package io.mediamesh.ingest.run;

import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.EventHandler;
import io.mediamesh.common.db.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * Scheduled sources run as the service account on behalf of the editor who made them. When that editor is disabled
 * or no longer an editor ({@code user.updated} or {@code user.role_changed} on {@code auth.events}, which carry the
 * user as the change left them), their sources stop: disabled with no next run, marked as stopped for their owner,
 * and their waiting jobs failed with the reason. When the owner can import again, exactly those sources start again.
 * Events of one user come in order (keyed by user), so the sources end as the owner's last state says, also when a
 * new consumer reads the topic's history from its start.
 */
public final class OwnerChanges implements EventHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OwnerChanges.class);
  private static final Set<String> CAN_IMPORT = Set.of("ADMIN", "EDITOR");

  private final Clock clock;

  public OwnerChanges(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<Void> handle(EventEnvelope event, SqlConnection tx) {
    if (!event.type().equals("user.updated") && !event.type().equals("user.role_changed")) {
      return Future.succeededFuture();
    }
    JsonObject user = event.data();
    String id = user.getString("id", event.subject());
    if (id == null) {
      return Future.succeededFuture();
    }
    boolean disabled = user.getBoolean("disabled", false);
    boolean canImport = !disabled && CAN_IMPORT.contains(user.getString("role", ""));
    OffsetDateTime now = Times.now(clock);
    if (canImport) {
      return tx.preparedQuery("UPDATE sources SET enabled = true, stopped_for_owner = false, updated_at = $2, "
          + "next_run_at = CASE WHEN interval_seconds IS NULL THEN NULL ELSE $2::timestamptz END "
          + "WHERE created_by = $1 AND stopped_for_owner").execute(Tuple.of(id, now))
        .map(restarted -> {
          if (restarted.rowCount() > 0) {
            LOG.info("{} scheduled source(s) of {} started again: the owner can import again", restarted.rowCount(),
              id);
          }
          return null;
        });
    }
    String reason = "the source's owner " + id + (disabled ? " was disabled" : " is no longer an editor");
    return tx.preparedQuery("UPDATE sources SET enabled = false, stopped_for_owner = true, next_run_at = NULL, "
        + "updated_at = $2 WHERE created_by = $1 AND enabled RETURNING id").execute(Tuple.of(id, now))
      .compose(stopped -> tx.preparedQuery("UPDATE jobs SET status = 'FAILED', error = $2, finished_at = $3, "
          + "updated_at = $3, version = version + 1 WHERE status = 'PENDING' AND source_id IN "
          + "(SELECT s.id FROM sources s WHERE s.created_by = $1)").execute(Tuple.of(id, reason, now))
        .map(failed -> {
          if (stopped.rowCount() > 0) {
            LOG.info("{} scheduled source(s) stopped: {}", stopped.rowCount(), reason);
          }
          return null;
        }));
  }
}
