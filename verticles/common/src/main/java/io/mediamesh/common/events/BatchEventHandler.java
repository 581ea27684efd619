package io.mediamesh.common.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;

/**
 * Applies a batch of events inside the one transaction that also records them as processed, for read models whose
 * throughput matters (one commit per poll instead of one per event). The events are the new ones of the batch, in
 * topic-partition order; already processed ones are left out. The reply is what to do once the transaction has
 * committed (evicting caches, telling gateways): work that must not happen before the data is visible.
 * <p>
 * When the batch fails, the consumer applies its events one at a time through this same handler (a list of one),
 * so a single bad event is retried or dead-lettered on its own (see {@link EventHandler} for what counts as bad).
 */
@FunctionalInterface
public interface BatchEventHandler {

  Future<AfterCommit> handle(List<EventEnvelope> events, SqlConnection tx);

  /** Work to run after the commit; a failure is logged and counted, the events stay processed. */
  @FunctionalInterface
  interface AfterCommit {
    AfterCommit NONE = () -> Future.succeededFuture();

    Future<Void> run();
  }
}
