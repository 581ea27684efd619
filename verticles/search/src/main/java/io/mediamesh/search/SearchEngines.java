package io.mediamesh.search;

import io.mediamesh.search.engine.SearchEngine;
import io.mediamesh.search.lucene.LuceneSearchEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The engine the configuration names, and how the service keeps it and its cached answers in step with the index:
 * <ul>
 *   <li>{@code lucene}: the in-memory copy answers (PostgreSQL until it is loaded). Cached answers go out of date
 *   when the copy applies a change, not at the commit; a commit of this instance wakes the copy at once.</li>
 *   <li>{@code postgres}: PostgreSQL answers. Cached answers go out of date at this instance's commits, and at the
 *   others' when the poll of the index generation sees them.</li>
 * </ul>
 */
final class SearchEngines {

  private final SearchEngine engine;
  private final LuceneSearchEngine copy;
  private final LongConsumer committed;
  private final Supplier<Future<Void>> follow;

  private SearchEngines(SearchEngine engine, LuceneSearchEngine copy, LongConsumer committed,
                        Supplier<Future<Void>> follow) {
    this.engine = engine;
    this.copy = copy;
    this.committed = committed;
    this.follow = follow;
  }

  static SearchEngines create(SearchConfig config, Vertx vertx, Pool pool, MeterRegistry registry,
                              ResultCache cache) {
    PostgresSearchEngine store = new PostgresSearchEngine(pool, config.rankWindow());
    return switch (config.engine()) {
      case LUCENE -> {
        SearchConfig.Lucene lucene = config.lucene();
        LuceneSearchEngine copy = new LuceneSearchEngine(vertx, store, pool, lucene.directory(), lucene.threads(),
          lucene.queue(), registry, cache::changed);
        yield new SearchEngines(copy, copy, generation -> copy.wake(), () -> copy.start(lucene.pollMs()));
      }
      case POSTGRES -> new SearchEngines(store, null, cache::committed,
        () -> cache.watch(vertx, pool, config.cache().pollMs()));
    };
  }

  /** What answers queries. */
  SearchEngine engine() {
    return engine;
  }

  /** The in-memory copy answering queries, or null when PostgreSQL does. */
  LuceneSearchEngine copy() {
    return copy;
  }

  /** This instance's indexer committed index generation {@code generation}. */
  void committed(long generation) {
    committed.accept(generation);
  }

  /** Starts following the index of record; completes once the engine answers (from the copy or the store). */
  Future<Void> follow() {
    return follow.get();
  }

  /** Stops following; the copy's files are deleted. */
  Future<Void> stop() {
    return copy == null ? Future.succeededFuture() : copy.stop();
  }
}
