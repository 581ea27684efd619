package io.mediamesh.search.lucene;

import io.mediamesh.common.api.SearchApi;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.search.engine.SearchEngine;
import io.mediamesh.search.engine.SearchResult;
import io.mediamesh.search.engine.Suggestions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory engine: {@code search_db} stays the index of record (its documents are written by the indexer),
 * and every instance answers from its own copy of it in a {@link LuceneIndex}, kept in step through the documents'
 * change feed ({@code IndexChanges}).
 * <ul>
 *   <li><b>Start.</b> The copy is loaded from the documents table, a page at a time, from the generation read
 *   before the first page; until it is loaded the store answers, so an instance answers from its first second.</li>
 *   <li><b>Following.</b> Every {@code pollMs}, and at once when this instance's indexer commits, the copy reads the
 *   generation and the ids changed since the one it applied (one statement, so both are of one snapshot), re-reads
 *   those documents and replaces them, then makes them visible and calls {@code changed} (cached answers are out of
 *   date). A document read later than its generation is fine: its own change comes round again.</li>
 *   <li><b>Falling behind.</b> A copy whose next generation was pruned from the feed reloads in full, answering
 *   from the old copy until the new one is complete.</li>
 * </ul>
 * Searches run on {@code threads} threads of their own; writes on the worker pool, one at a time.
 */
public final class LuceneSearchEngine implements SearchEngine {

  private static final Logger LOG = LoggerFactory.getLogger(LuceneSearchEngine.class);
  private static final int PAGE = 2_000;
  private static final String GENERATION = "SELECT generation FROM index_state";
  /** Generations applied in one pass at most, so a copy far behind catches up in bounded steps. */
  private static final int GENERATIONS_PER_PASS = 200;
  private static final String CHANGES = """
    SELECT s.generation, s.changes_from, least(s.generation, $1::bigint + $2::bigint) AS upto,
           array(SELECT DISTINCT c.id FROM document_changes c
                  WHERE c.generation > $1::bigint AND c.generation <= least(s.generation, $1::bigint + $2::bigint))
             AS ids
      FROM index_state s""";
  private static final String PAGE_AFTER = "SELECT " + IndexedDocument.COLUMNS
    + " FROM documents WHERE $1::uuid IS NULL OR id > $1 ORDER BY id LIMIT " + PAGE;
  private static final String DOCUMENTS_OF = "SELECT " + IndexedDocument.COLUMNS
    + " FROM documents WHERE id = ANY($1) OR program_id = ANY($1)";

  private final SearchEngine store;
  private final Pool pool;
  private final Path directory;
  /** Made on the first load, on a worker (file work); made anew when its writer broke. */
  private volatile LuceneIndex index;
  private final Vertx vertx;
  private final Context context;
  private final ThreadPoolExecutor readers;
  private final Runnable changed;
  private volatile boolean loaded;
  private volatile long applied = -1;
  private boolean syncing;
  private boolean again;
  private boolean closed;
  private long timer = -1;

  /**
   * An engine answering from a copy of the documents in {@code pool}, its files under {@code directory}, searched on
   * {@code threads} threads with at most {@code queue} searches waiting; {@code store} answers until the copy is
   * loaded, and {@code changed} is called whenever the copy's answers change.
   */
  public LuceneSearchEngine(Vertx vertx, SearchEngine store, Pool pool, Path directory, int threads, int queue,
                            MeterRegistry registry, Runnable changed) {
    this.directory = directory;
    this.store = store;
    this.pool = pool;
    this.changed = changed;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    AtomicInteger named = new AtomicInteger();
    // a bounded queue: past it, a search is refused at once (503) rather than answered after its caller gave up
    this.readers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
      run -> {
        Thread t = new Thread(run, "mediamesh-search-" + named.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    Gauge.builder("mediamesh_search_copy_generation", this, e -> e.applied).register(registry);
  }

  /** Starts loading and following; completes once the load has begun (the store answers until it is done). */
  public Future<Void> start(long pollMs) {
    context.runOnContext(v -> sync());
    timer = context.owner().setPeriodic(pollMs, id -> {
      if (!loaded) {
        changed.run(); // the store answers meanwhile, and nothing else tells its cached answers of other changes
      }
      sync();
    });
    return Future.succeededFuture();
  }

  /** This instance committed index changes: look for them now rather than at the next poll. */
  public void wake() {
    if (!loaded) {
      changed.run();
    }
    context.runOnContext(v -> sync());
  }

  /** Whether the copy is loaded (searches are answered by it) and the generation it has applied. */
  public boolean loaded() {
    return loaded;
  }

  public long applied() {
    return applied;
  }

  /** {@code {loaded, generation, behind, documents}}, behind the index of record at {@code storeGeneration}. */
  public Future<JsonObject> status(long storeGeneration) {
    long at = applied;
    return read(() -> {
      LuceneIndex current = index;
      return current == null ? 0 : current.size();
    }).map(documents -> new JsonObject().put("loaded", loaded).put("generation", at)
      .put("behind", Math.max(0, storeGeneration - at)).put("documents", documents));
  }

  private void sync() {
    if (closed) {
      return;
    }
    if (syncing) {
      again = true; // one pass at a time; the pass running may have read before the commit that woke us
      return;
    }
    syncing = true;
    again = false;
    (loaded ? catchUp() : load())
      .onFailure(err -> {
        LOG.warn("the search copy could not catch up (it retries): {}", err.toString());
        LuceneIndex broken = index;
        if (broken != null && broken.broken()) {
          // its writer failed for good (e.g. out of memory): PostgreSQL answers while a new copy loads
          LOG.error("the search copy's writer failed; loading a new copy", err);
          loaded = false;
          index = null;
          write(() -> {
            broken.close();
            return null;
          }).onFailure(e -> LOG.warn("could not close the broken copy: {}", e.toString()));
        }
      })
      .onComplete(done -> {
        syncing = false;
        if (again) {
          sync();
        }
      });
  }

  private Future<Void> load() {
    long started = System.nanoTime();
    return pool.query(GENERATION).execute().compose(rows -> {
      long generation = rows.iterator().next().getLong(0);
      return write(() -> {
        if (index == null) {
          LuceneIndex.sweep(directory); // copies left by instances that died
          index = new LuceneIndex(directory);
        } else {
          index.clear();
        }
        return null;
      }).compose(v -> loadPage(null)).compose(v -> write(() -> {
        index.publish();
        return index.size();
      })).map(documents -> {
        applied = generation;
        loaded = true;
        changed.run();
        LOG.info("search copy loaded: {} documents at generation {} in {} ms", documents, generation,
          (System.nanoTime() - started) / 1_000_000);
        return null;
      });
    });
  }

  private Future<Void> loadPage(UUID after) {
    return pool.preparedQuery(PAGE_AFTER).execute(Tuple.of(after)).compose(rows -> {
      List<IndexedDocument> documents = documents(rows);
      if (documents.isEmpty()) {
        return Future.succeededFuture();
      }
      UUID last = documents.get(documents.size() - 1).id();
      return write(() -> {
        index.add(documents);
        return null;
      }).compose(v -> documents.size() < PAGE ? Future.succeededFuture() : loadPage(last));
    });
  }

  private Future<Void> catchUp() {
    long from = applied;
    return pool.preparedQuery(CHANGES).execute(Tuple.of(from, GENERATIONS_PER_PASS)).compose(rows -> {
      Row state = rows.iterator().next();
      long generation = state.getLong("upto");
      if (generation < state.getLong("generation")) {
        again = true; // more to apply after this pass
      }
      if (generation <= from) {
        return Future.succeededFuture();
      }
      if (from + 1 < state.getLong("changes_from")) {
        LOG.warn("search copy at generation {} is behind the change feed (kept from {}): reloading", from,
          state.getLong("changes_from"));
        return load();
      }
      UUID[] ids = state.getArrayOfUUIDs("ids");
      Future<Void> replaced = ids.length == 0 ? Future.succeededFuture()
        : pool.preparedQuery(DOCUMENTS_OF).execute(Tuple.of((Object) ids)).compose(found -> write(() -> {
          index.replace(List.of(ids), documents(found));
          index.publish();
          return null;
        }));
      return replaced.map(v -> {
        applied = generation;
        changed.run();
        return null;
      });
    });
  }

  private static List<IndexedDocument> documents(RowSet<Row> rows) {
    List<IndexedDocument> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(IndexedDocument.from(r)));
    return out;
  }

  /** Writes run one at a time, in order, on the worker pool (the engine's context orders them). */
  private <T> Future<T> write(Callable<T> work) {
    return context.executeBlocking(work, true);
  }

  /**
   * Reads run on threads of their own, as many as the cores by default: a search is CPU work, and more of them at
   * once than cores only share the cores and lengthen every one (on the worker pool, p99 54 ms instead of 25).
   * The answer comes back on the caller's context.
   */
  private <T> Future<T> read(Callable<T> work) {
    Context caller = vertx.getOrCreateContext();
    Promise<T> answer = Promise.promise();
    try {
      readers.execute(() -> {
        try {
          T result = work.call();
          caller.runOnContext(v -> answer.complete(result));
        } catch (Throwable err) {
          caller.runOnContext(v -> answer.fail(err));
        }
      });
    } catch (RejectedExecutionException full) {
      answer.fail(new ServiceException(ErrorCode.UNAVAILABLE, closed ? "search is stopping"
        : "search is overloaded: try again", null));
    }
    return answer.future();
  }

  /** The copy when it answers (loaded), else null (the store answers). */
  private LuceneIndex answering() {
    return loaded ? index : null;
  }

  @Override
  public Future<SearchResult> search(SearchApi.Query query) {
    LuceneIndex copy = answering();
    return copy != null ? read(() -> copy.search(query)) : store.search(query);
  }

  /** The search and, when it finds nothing, the correction in one pass on the copy. */
  @Override
  public Future<Searched> searchOrCorrect(SearchApi.Query query) {
    LuceneIndex copy = answering();
    if (copy == null) {
      return store.searchOrCorrect(query);
    }
    return read(() -> {
      SearchResult result = copy.search(query);
      return new Searched(result, result.total() > 0 ? null : copy.correct(query.q()));
    });
  }

  @Override
  public Future<String> correct(String q) {
    LuceneIndex copy = answering();
    return copy != null ? read(() -> copy.correct(q)) : store.correct(q);
  }

  @Override
  public Future<Suggestions> suggest(SearchApi.Suggest request) {
    LuceneIndex copy = answering();
    return copy != null ? read(() -> copy.suggest(request.q(), request.limit(), request.maxAgeRating())) : store.suggest(request);
  }

  /** Stops following; the copy is closed after the write running, if any (a pass running then fails, unheard). */
  public Future<Void> stop() {
    if (timer != -1) {
      context.owner().cancelTimer(timer);
    }
    closed = true;
    readers.shutdown();
    return write(() -> {
      LuceneIndex current = index;
      if (current != null) {
        current.close();
      }
      return null;
    });
  }
}
