package io.mediamesh.search;

import io.mediamesh.common.events.BatchEventHandler;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.readmodel.ContentProjection;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Keeps the index in step with the events: the batch goes into the content projection, then the documents of
 * everything it touched are refreshed once, all in the consumer's transaction (so a crash never leaves a document
 * behind its source rows).
 */
final class SearchIndexer implements BatchEventHandler {

  private static final String LAST_EVENT =
    "UPDATE index_state SET last_event_at = greatest(coalesce(last_event_at, $1), $1)";

  private final SearchEngine engine;

  SearchIndexer(SearchEngine engine) {
    this.engine = engine;
  }

  @Override
  public Future<AfterCommit> handle(List<EventEnvelope> events, SqlConnection tx) {
    Instant newest = events.stream().map(EventEnvelope::time).max(Instant::compareTo).orElseThrow();
    return ContentProjection.apply(events, tx)
      .compose(touched -> engine.refresh(tx, touched))
      .compose(v -> tx.preparedQuery(LAST_EVENT).execute(Tuple.of(newest.atOffset(ZoneOffset.UTC))))
      .map(AfterCommit.NONE);
  }
}
