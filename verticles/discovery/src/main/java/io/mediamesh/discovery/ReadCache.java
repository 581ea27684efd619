package io.mediamesh.discovery;

import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.cache.SingleFlight;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Cache-aside in Redis for read answers, with exact event-driven invalidation.
 * <ul>
 *   <li>Each entry depends on named facts ({@link io.mediamesh.common.api.DiscoveryFacts}: {@code program:<id>},
 *   {@code episode:<id>}, {@code lists:c=<cat>:l=<lang>}, {@code categories}). Invalidating a fact deletes every
 *   entry that depends on it, and nothing else.</li>
 *   <li>No stale write-back: a reader notes each fact's generation before it reads the database, and stores its
 *   answer only if no generation moved meanwhile (one script checks and writes). Invalidation bumps the generations
 *   after the change has committed, so an answer read before the commit is never cached after it.</li>
 *   <li>Stampedes: concurrent misses of one key in this instance share one load (the kernel's {@link SingleFlight});
 *   across instances a short Redis lock lets one instance load while the others poll the cache briefly (then load
 *   uncached rather than wait longer).</li>
 * </ul>
 * Redis trouble never fails a read: the answer comes from the database.
 */
final class ReadCache {

  private static final String PREFIX = "mm:disc:";
  private static final long GEN_TTL_SECONDS = 86_400;
  private static final long LOCK_MS = 3_000;
  private static final int LOCK_POLLS = 8;
  private static final long LOCK_POLL_MS = 25;

  /** KEYS: entry, gen:dep..., members:dep...; ARGV: value, ttl ms, n deps, expected gens..., members ttl s. */
  private static final String STORE = """
    local n = tonumber(ARGV[3])
    for i = 1, n do
      local current = redis.call('GET', KEYS[1 + i]) or ''
      if current ~= ARGV[3 + i] then return 0 end
    end
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    for i = 1, n do
      redis.call('SADD', KEYS[1 + n + i], KEYS[1])
      redis.call('EXPIRE', KEYS[1 + n + i], ARGV[4 + n])
    end
    return 1""";

  /** KEYS: gen:dep..., members:dep... (n each); ARGV: n, gen ttl s. Deletes the dependents, bumps the generations. */
  private static final String INVALIDATE = """
    local n = tonumber(ARGV[1])
    for i = 1, n do
      redis.call('INCR', KEYS[i])
      redis.call('EXPIRE', KEYS[i], ARGV[2])
      local members = redis.call('SMEMBERS', KEYS[n + i])
      for _, key in ipairs(members) do redis.call('DEL', key) end
      redis.call('DEL', KEYS[n + i])
    end
    return n""";

  private final Vertx vertx;
  private final RedisAPI redis;
  private final SingleFlight<String, JsonObject> flights = new SingleFlight<>();
  private final Counter hits;
  private final Counter misses;
  private final Counter errors;

  ReadCache(Vertx vertx, Redis redis, MeterRegistry registry) {
    this.vertx = vertx;
    this.redis = RedisAPI.api(redis);
    this.hits = Counter.builder("mediamesh_discovery_cache").tag("result", "hit").register(registry);
    this.misses = Counter.builder("mediamesh_discovery_cache").tag("result", "miss").register(registry);
    this.errors = Counter.builder("mediamesh_discovery_cache").tag("result", "error").register(registry);
  }

  /**
   * The cached answer of {@code key}, or {@code loader}'s (stored for {@code ttlMs} if no dependency changed while
   * loading). A loader answering null means "not found": nothing is stored. Concurrent callers in this instance share
   * one lookup ({@link SingleFlight}), but not one begun before this instance's last {@link #invalidate}.
   */
  Future<JsonObject> get(String key, List<String> deps, long ttlMs, Supplier<Future<JsonObject>> loader) {
    return flights.load(key, ticket -> lookup(key, deps, ttlMs, loader, ticket));
  }

  private Future<JsonObject> lookup(String key, List<String> deps, long ttlMs, Supplier<Future<JsonObject>> loader,
                                    SingleFlight.Ticket ticket) {
    List<String> read = new ArrayList<>(deps.size() + 1);
    read.add(PREFIX + key);
    deps.forEach(d -> read.add(PREFIX + "gen:" + d));
    return redis.mget(read).transform(ar -> {
      if (ar.failed()) {
        errors.increment();
        return loader.get();
      }
      Response values = ar.result();
      if (values.get(0) != null) {
        hits.increment();
        return Future.succeededFuture(new JsonObject(values.get(0).toBuffer()));
      }
      misses.increment();
      List<String> gens = new ArrayList<>(deps.size());
      for (int i = 1; i < values.size(); i++) {
        gens.add(values.get(i) == null ? "" : values.get(i).toString());
      }
      return loadOnce(key, deps, gens, ttlMs, loader, ticket);
    });
  }

  private Future<JsonObject> loadOnce(String key, List<String> deps, List<String> gens, long ttlMs,
                                      Supplier<Future<JsonObject>> loader, SingleFlight.Ticket ticket) {
    String lock = PREFIX + "lock:" + key;
    String token = UUID.randomUUID().toString();
    return redis.set(List.of(lock, token, "NX", "PX", String.valueOf(LOCK_MS))).transform(ar -> {
      if (ar.failed()) {
        errors.increment();
        return loader.get();
      }
      if (ar.result() == null) {
        return waitForOther(key, LOCK_POLLS).compose(found -> found != null ? Future.succeededFuture(found)
          : loader.get());
      }
      return loader.get().compose(value -> store(key, deps, gens, ttlMs, value, ticket).map(value))
        .eventually(() -> redis.eval(List.of("if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "return redis.call('DEL', KEYS[1]) end return 0", "1", lock, token)).otherwiseEmpty());
    });
  }

  private Future<JsonObject> waitForOther(String key, int polls) {
    if (polls == 0) {
      return Future.succeededFuture();
    }
    Promise<JsonObject> later = Promise.promise();
    vertx.setTimer(LOCK_POLL_MS, id -> redis.get(PREFIX + key).onComplete(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        later.complete(new JsonObject(ar.result().toBuffer()));
      } else {
        waitForOther(key, polls - 1).onComplete(later);
      }
    }));
    return later.future();
  }

  /**
   * Stores a loaded answer unless a dependency's generation moved since it was read: checked in Redis by the script
   * (for invalidations by any instance), and first here by the ticket (this instance's own invalidations, no round
   * trip).
   */
  private Future<Void> store(String key, List<String> deps, List<String> gens, long ttlMs, JsonObject value,
                             SingleFlight.Ticket ticket) {
    if (value == null || !ticket.current()) {
      return Future.succeededFuture();
    }
    List<String> args = new ArrayList<>();
    args.add(STORE);
    args.add(String.valueOf(1 + 2 * deps.size()));
    args.add(PREFIX + key);
    deps.forEach(d -> args.add(PREFIX + "gen:" + d));
    deps.forEach(d -> args.add(PREFIX + "members:" + d));
    args.add(value.encode());
    args.add(String.valueOf(ttlMs));
    args.add(String.valueOf(deps.size()));
    args.addAll(gens);
    args.add(String.valueOf(Math.max(1, ttlMs / 1000) * 2));
    return redis.eval(args).<Void>mapEmpty().otherwise(err -> {
      errors.increment();
      return null;
    });
  }

  /**
   * Writes the tombstones of content that is not visible ({@code gone}, kept {@code ttlSeconds}) and removes those of
   * content visible again: see {@code DiscoveryApi.GONE_PREFIX}. Called after the change has committed.
   */
  Future<Void> tombstones(Collection<UUID> gone, Collection<UUID> visible, long ttlSeconds) {
    List<Future<?>> writes = new ArrayList<>();
    for (UUID id : gone) {
      writes.add(redis.set(List.of(DiscoveryApi.GONE_PREFIX + id, "1", "EX", String.valueOf(ttlSeconds))));
    }
    if (!visible.isEmpty()) {
      writes.add(redis.del(visible.stream().map(id -> DiscoveryApi.GONE_PREFIX + id).toList()));
    }
    return Future.all(writes).mapEmpty();
  }

  /**
   * Drops every entry depending on any of {@code deps}; called after the change has committed. Once done, no caller
   * joins a lookup begun before it (that lookup may have read the entry just dropped).
   */
  Future<Void> invalidate(Collection<String> deps) {
    if (deps.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> args = new ArrayList<>();
    args.add(INVALIDATE);
    args.add(String.valueOf(2 * deps.size()));
    deps.forEach(d -> args.add(PREFIX + "gen:" + d));
    deps.forEach(d -> args.add(PREFIX + "members:" + d));
    args.add(String.valueOf(deps.size()));
    args.add(String.valueOf(GEN_TTL_SECONDS));
    return redis.eval(args).<Void>mapEmpty().andThen(done -> flights.invalidate());
  }
}
