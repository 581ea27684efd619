package io.mediamesh.common.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One load per key at a time, and no stale answer stored: the part every read cache of the platform shares (the
 * discovery service's Redis cache, the discovery gateway's near cache, search's answer cache). A cache keeps its own
 * storage and its own invalidation policy, and asks this class for the rest:
 * <ul>
 *   <li><b>Coalescing.</b> Concurrent callers of {@link #load} for one key share the load in flight; the loader runs
 *   once, outside any lock (a slow or re-entrant loader never blocks other keys).</li>
 *   <li><b>Generations.</b> Every load begins at a generation, and {@link #invalidate()} moves the generation on. A
 *   load that began before an invalidation is not joined by callers that come after it (they would get an answer
 *   from before the change), and its {@link Ticket} says it is {@linkplain Ticket#current() no longer current}, so
 *   the cache does not store what it loaded. A cache whose storage keeps its own generation (Redis, a database
 *   counter) passes the generation it read to {@link #load(Object, long, Function)} instead.</li>
 * </ul>
 * Thread-safe; callers on any thread. A failed load is not remembered: the next caller loads again.
 *
 * @param <K> the cache's key
 * @param <V> what a load answers
 */
public final class SingleFlight<K, V> {

  private final Map<K, Flight<V>> flights = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  /** A load in flight: the generation it began at, and its answer to come. */
  private record Flight<V>(long generation, Future<V> answer) {
  }

  /** What a loader is told about its own load. */
  public interface Ticket {
    /** The generation this load began at. */
    long generation();

    /** True while no invalidation has happened since this load began: only then may its answer be stored. */
    boolean current();
  }

  /** The generation now: loads begun at it are current until the next {@link #invalidate()}. */
  public long generation() {
    return generation.get();
  }

  /**
   * Every load in flight and every answer stored before now is out of date: later callers start a new load, and the
   * tickets of the loads in flight are no longer current. Answers the new generation.
   */
  public long invalidate() {
    return generation.incrementAndGet();
  }

  /** Moves the generation on to at least {@code atLeast} (a generation read from shared storage); answers the new one. */
  public long advanceTo(long atLeast) {
    return generation.accumulateAndGet(atLeast, Math::max);
  }

  /** The load of {@code key} in flight at the current generation, or a new one started with {@code loader}. */
  public Future<V> load(K key, Function<Ticket, Future<V>> loader) {
    return load(key, generation.get(), loader);
  }

  /**
   * As {@link #load(Object, Function)} at generation {@code at} (read by the caller, with the entry it missed, from
   * where its storage keeps generations): a flight begun at another generation is not joined.
   */
  public Future<V> load(K key, long at, Function<Ticket, Future<V>> loader) {
    Flight<V> running = flights.get(key);
    if (running != null && running.generation() == at) {
      return running.answer();
    }
    Ticket ticket = new Ticket() {
      @Override
      public long generation() {
        return at;
      }

      @Override
      public boolean current() {
        return generation.get() == at;
      }
    };
    Promise<V> promise = Promise.promise();
    Flight<V> mine = new Flight<>(at, promise.future());
    Flight<V> raced = flights.compute(key, (k, now) -> now != null && now.generation() == at ? now : mine);
    if (raced != mine) {
      return raced.answer();  // another caller began the same load between our look and our claim
    }
    Future<V> loaded;
    try {
      loaded = loader.apply(ticket);
    } catch (RuntimeException e) {
      loaded = Future.failedFuture(e);
    }
    loaded.onComplete(ar -> {
      flights.remove(key, mine);
      promise.handle(ar);
    });
    return promise.future();
  }

  /** Loads in flight (for metrics and tests). */
  public int inFlight() {
    return flights.size();
  }
}
