package io.mediamesh.common.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Applies one event inside the transaction that also records it as processed; fail the future to roll both back.
 * Throw or fail with {@link IllegalArgumentException} (or a 4xx ServiceException) for an event that can never be
 * applied: it goes to the dead-letter topic without further retries.
 */
@FunctionalInterface
public interface EventHandler {
  Future<Void> handle(EventEnvelope event, SqlConnection tx);
}
