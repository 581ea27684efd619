package io.mediamesh.ingest.run;

import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.EventHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Scheduled sources run as the service account on behalf of the editor who made them; when that editor is disabled
 * or no longer an editor ({@code user.updated} or {@code user.role_changed} on {@code auth.events}), their sources
 * stop: disabled with no next run, and their waiting jobs failed with the reason. Re-enabling the user does not
 * restart them on its own; an editor decides that. Idempotent (the consumer applies each event once, and the updates
 * change nothing a second time).
 */
public final class OwnerChanges implements EventHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OwnerChanges.class);
  private static final Set<String> CAN_IMPORT = Set.of("ADMIN", "EDITOR");

  @Override
  public Future<Void> handle(EventEnvelope event, SqlConnection tx) {
    if (!event.type().equals("user.updated") && !event.type().equals("user.role_changed")) {
      return Future.succeededFuture();
    }
    JsonObject user = event.data();
    String id = user.getString("id", event.subject());
    boolean lost = user.getBoolean("disabled", false) || !CAN_IMPORT.contains(user.getString("role", ""));
    if (!lost || id == null) {
      return Future.succeededFuture();
    }
    String reason = "the source's owner " + id + (user.getBoolean("disabled", false) ? " was disabled"
      : " is no longer an editor");
    return tx.preparedQuery("UPDATE sources SET enabled = false, next_run_at = NULL, updated_at = now() "
        + "WHERE created_by = $1 AND enabled RETURNING id").execute(Tuple.of(id))
      .compose(stopped -> tx.preparedQuery("UPDATE jobs SET status = 'FAILED', error = $2, finished_at = now(), "
          + "updated_at = now(), version = version + 1 WHERE status = 'PENDING' AND source_id IN "
          + "(SELECT s.id FROM sources s WHERE s.created_by = $1)").execute(Tuple.of(id, reason))
        .map(failed -> {
          if (stopped.rowCount() > 0) {
            LOG.info("{} scheduled source(s) stopped: {}", stopped.rowCount(), reason);
          }
          return null;
        }));
  }
}
