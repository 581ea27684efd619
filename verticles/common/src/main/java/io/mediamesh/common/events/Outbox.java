package io.mediamesh.common.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Writes an event into the outbox table. Call it with the connection of the transaction that makes the change: the
 * event then exists exactly when the change commits.
 */
public final class Outbox {

  private static final String INSERT =
    "INSERT INTO outbox (event_id, topic, event_key, event_type, payload, traceparent) VALUES ($1, $2, $3, $4, $5, $6)";

  private Outbox() {
  }

  public static Future<Void> append(SqlClient tx, String topic, EventEnvelope event) {
    return tx.preparedQuery(INSERT)
      .execute(Tuple.of(event.id(), topic, event.subject(), event.type(), event.toJson().encode(), event.traceparent()))
      .mapEmpty();
  }
}
