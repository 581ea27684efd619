package io.mediamesh.search;

import io.mediamesh.common.cache.SingleFlight;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers of the search service, kept until the index changes: the searcher-level cache of a dedicated engine, for
 * the repeated queries that make up most of a search load.
 * <ul>
 *   <li><b>Index generation.</b> Every transaction that changes documents also increments
 *   {@code index_state.generation} ({@link IndexChanges}). Each time this instance learns of a change, every stored
 *   answer goes and the loads in flight are not stored (their {@link SingleFlight} generation is over), so an answer
 *   computed before a change is never served after this instance learnt of it.</li>
 *   <li><b>Learning of changes.</b> This instance's indexer calls {@link #committed} once its batch has committed;
 *   changes committed by other instances (or a reindex) are seen by polling the generation every
 *   {@code pollMs}, so they are served stale for at most that long.</li>
 *   <li><b>Coalescing.</b> Concurrent misses of one query share its load ({@link SingleFlight}; the load runs
 *   outside this cache's lock).</li>
 *   <li><b>Bounds.</b> At most {@code maxEntries} answers and {@code maxBytes} of them (encoded), least recently
 *   used first out, so varied queries (deep pages, large sizes) cannot grow it past its budget.</li>
 * </ul>
 * Thread-safe: the bus handlers, the indexer's consumers and the poll may run on different threads.
 */
final class ResultCache {

  private static final String READ = "SELECT generation FROM index_state";
  private static final Logger LOG = LoggerFactory.getLogger(ResultCache.class);

  /**
   * An answer is kept encoded: one array, where a tree of a few thousand small objects per answer, copied by every
   * young collection it lived through, set the pauses of a search load (about 70 ms each); each reader gets a tree
   * of its own.
   */
  private record Entry(long generation, Buffer answer) {
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
  private final SingleFlight<String, Buffer> flights = new SingleFlight<>();
  private final int maxEntries;
  private final long maxBytes;
  private final Counter hits;
  private final Counter misses;
  private long bytes;
  private long seenInDatabase = -1;
  private volatile long timer = -1;

  ResultCache(int maxEntries, long maxBytes, MeterRegistry registry) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.hits = Counter.builder("mediamesh_search_cache").tag("result", "hit").register(registry);
    this.misses = Counter.builder("mediamesh_search_cache").tag("result", "miss").register(registry);
    Gauge.builder("mediamesh_search_cache_bytes", this, ResultCache::bytes).register(registry);
  }

  /**
   * The answer for {@code key}: the stored one of the current generation, the one being loaded, or a new one from
   * {@code load} (stored when done, unless the index changed meanwhile). A failed load is not kept.
   */
  Future<JsonObject> get(String key, Supplier<Future<JsonObject>> load) {
    synchronized (this) {
      Entry e = entries.get(key);
      if (e != null && e.generation() == flights.generation()) {
        hits.increment();
        return Future.succeededFuture(new JsonObject(e.answer()));
      }
    }
    boolean[] loaded = new boolean[1];
    Future<Buffer> answer = flights.load(key, ticket -> {
      loaded[0] = true;
      misses.increment();
      return load.get().map(JsonObject::toBuffer).onSuccess(encoded -> store(key, ticket, encoded));
    });
    if (!loaded[0]) {
      hits.increment(); // joined a load in flight
    }
    return answer.map(JsonObject::new);
  }

  private synchronized void store(String key, SingleFlight.Ticket ticket, Buffer answer) {
    if (!ticket.current()) {
      return; // the index changed while it loaded: out of date already
    }
    remove(key);
    entries.put(key, new Entry(ticket.generation(), answer));
    bytes += answer.length();
    trim();
  }

  /**
   * This instance committed index generation {@code databaseGeneration}: every stored answer is out of date, and
   * the poll need not clear again when it reads that generation (every answer stored from now on was computed after
   * that commit, and so after every earlier one).
   */
  synchronized void committed(long databaseGeneration) {
    changed();
    seenInDatabase = Math.max(seenInDatabase, databaseGeneration);
  }

  /**
   * The poll read generation {@code databaseGeneration}: newer than any this instance knew of means another
   * instance changed the index (generations only grow; an older read is a poll that started before a commit).
   */
  synchronized void observed(long databaseGeneration) {
    if (databaseGeneration > seenInDatabase) {
      changed();
      seenInDatabase = databaseGeneration;
    }
  }

  /** The index changed: every stored answer, and every load in flight, is out of date. */
  synchronized void changed() {
    flights.invalidate();
    entries.clear();
    bytes = 0;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized int size() {
    return entries.size();
  }

  private void remove(String key) {
    Entry old = entries.remove(key);
    if (old != null) {
      bytes -= old.answer().length();
    }
  }

  /** Drops the least recently used answers until both bounds hold. */
  private void trim() {
    Iterator<Entry> eldest = entries.values().iterator();
    while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
      bytes -= eldest.next().answer().length();
      eldest.remove();
    }
  }

  /**
   * Reads the generation in the database now, then every {@code pollMs}, to learn of changes other instances made;
   * completes once the first read is done (which also drops anything cached before it).
   */
  Future<Void> watch(Vertx vertx, Pool pool, long pollMs) {
    return poll(pool).onSuccess(v -> timer = vertx.setPeriodic(pollMs, id -> poll(pool)
      .onFailure(err -> LOG.warn("could not read the index generation: {}", err.getMessage()))));
  }

  void stop(Vertx vertx) {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
  }

  private Future<Void> poll(Pool pool) {
    return pool.query(READ).execute().map(rows -> {
      Row row = rows.iterator().next();
      observed(row.getLong(0));
      return null;
    });
  }
}
