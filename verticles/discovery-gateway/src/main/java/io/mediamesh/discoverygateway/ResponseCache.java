package io.mediamesh.discoverygateway;

import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.DiscoveryFacts;
import io.mediamesh.common.cache.SingleFlight;
import io.mediamesh.gateway.Hashes;
import io.mediamesh.gateway.Reply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Two levels of cached answers for public reads.
 * <ul>
 *   <li><b>Near cache</b> (this JVM): encoded answers with their ETag, so a hot read is answered without any network
 *   round trip. Kept coherent by {@code DiscoveryApi.INVALIDATED} (published by the discovery service after every
 *   change of its read model): the named programs and episodes, and every list when lists changed, are dropped.
 *   Keys are {@link DiscoveryFacts}' (the service's own names for what changed). Concurrent misses of a key share
 *   one load, and an answer loaded before an invalidation is not stored after it (the kernel's {@link SingleFlight}).
 *   Entries also expire after a TTL (a lost bus publish cannot keep an answer forever), and ranked lists (trending,
 *   popular) and search answers, which change without invalidations, have a short TTL of their own.</li>
 *   <li><b>Stale store</b> (Redis): the last good answer of every key, kept for {@code staleTtlSeconds}; read only
 *   when the downstream call fails (open breaker, 5xx, timeout), so clients get a stale answer instead of an
 *   error while the discovery service is down (stale-if-error).</li>
 * </ul>
 */
final class ResponseCache {

  /**
   * An answer; {@code hit} is its reply as a near-cache hit, built once (null for a stale answer from Redis);
   * {@code ageRating} is a detail's (null when unrated, and for lists), which a profile's limit is checked against.
   */
  record Entry(Buffer body, String etag, long expiresAt, Reply hit, Integer ageRating) {
  }

  private final Map<String, Entry> near = new ConcurrentHashMap<>();
  private final SingleFlight<String, Entry> flights = new SingleFlight<>();
  private final Clock clock;
  private final Redis redis;
  private final String prefix;
  private final int maxEntries;
  private final long staleTtlSeconds;
  private final Counter hits;
  private final Counter misses;
  private final Counter stale;

  ResponseCache(Vertx vertx, Redis redis, String prefix, int maxEntries, long staleTtlSeconds, MeterRegistry registry,
                Clock clock) {
    this.clock = clock;
    this.redis = redis;
    this.prefix = prefix;
    this.maxEntries = maxEntries;
    this.staleTtlSeconds = staleTtlSeconds;
    this.hits = Counter.builder("mediamesh_gateway_cache").tag("result", "hit").register(registry);
    this.misses = Counter.builder("mediamesh_gateway_cache").tag("result", "miss").register(registry);
    this.stale = Counter.builder("mediamesh_gateway_cache").tag("result", "stale").register(registry);
    Gauge.builder("mediamesh_gateway_cache_entries", near, Map::size).register(registry);
    vertx.setPeriodic(5_000, id -> {
      long now = clock.millis();
      near.values().removeIf(e -> e.expiresAt() <= now);
    });
  }

  /** A fresh near-cached answer, or null. */
  Entry fresh(String key, long now) {
    Entry e = near.get(key);
    if (e != null && e.expiresAt() > now) {
      hits.increment();
      return e;
    }
    misses.increment();
    return null;
  }

  /** As {@link #fresh}, counting only hits (a probe's miss is counted by the read that follows it). */
  Entry peek(String key, long now) {
    Entry e = near.get(key);
    if (e != null && e.expiresAt() > now) {
      hits.increment();
      return e;
    }
    return null;
  }

  /**
   * The answer of {@code key} from {@code fetch}: requests that miss together share one fetch, unless an
   * invalidation came since it began. The answer is stored, near only if no invalidation came meanwhile.
   */
  Future<Entry> load(String key, Supplier<Future<Entry>> fetch) {
    return flights.load(key, ticket -> fetch.get().map(entry -> {
      store(key, entry, ticket);
      return entry;
    }));
  }

  /** Stores an answer near (unless its load is no longer current) and in the stale store. */
  private void store(String key, Entry entry, SingleFlight.Ticket ticket) {
    if (ticket.current() && near.size() < maxEntries) {
      near.put(key, entry);
      if (!ticket.current()) {
        near.remove(key, entry); // an invalidation raced with the put
      }
    }
    // kept whatever the generation: a stale copy is only served when the service is down, and checked against its
    // tombstones then
    JsonObject stored = new JsonObject().put("etag", entry.etag()).put("body", entry.body().toString());
    redis.send(Request.cmd(Command.SET).arg(prefix + key).arg(stored.encode()).arg("EX").arg(staleTtlSeconds))
      .onFailure(err -> { }); // the stale store is best effort: Redis down must not fail a good answer
  }

  /**
   * The last good answer, from the near cache even if expired, else from Redis; null when there is none, or when it
   * shows content the discovery service has tombstoned since ({@code DiscoveryApi.GONE_PREFIX}: unpublished,
   * archived or deleted). A detail of gone content is never served stale; a list is served without its gone items.
   * Tombstones are read from Redis, so an answer that cannot be checked (Redis down) is not served.
   */
  Future<Entry> stale(String key) {
    Entry e = near.get(key);
    Future<Entry> found = e != null ? Future.succeededFuture(e)
      : redis.send(Request.cmd(Command.GET).arg(prefix + key)).map(r -> {
        if (r == null) {
          return null;
        }
        JsonObject o = new JsonObject(r.toString());
        Buffer body = Buffer.buffer(o.getString("body"));
        return new Entry(body, o.getString("etag"), 0, null, ageRating(body));
      });
    return found.compose(entry -> entry == null ? Future.succeededFuture((Entry) null) : withoutGone(key, entry))
      .onSuccess(entry -> {
        if (entry != null) {
          stale.increment();
        }
      })
      .otherwise((Entry) null);
  }

  /** The {@code ageRating} of an answer's body (a detail's), null when it has none. */
  static Integer ageRating(Buffer body) {
    Object rating = new JsonObject(body).getValue("ageRating");
    return rating instanceof Number n ? n.intValue() : null;
  }

  /** The id of a list item: a program or episode, or the one a ranked entry ({@code {item: ...}}) is about. */
  private static String itemId(JsonObject item) {
    return item.getString("id", item.getJsonObject("item", new JsonObject()).getString("id"));
  }

  /** The entry if nothing it shows is tombstoned; a list without its tombstoned items; null for a gone detail. */
  private Future<Entry> withoutGone(String key, Entry entry) {
    String subject = DiscoveryFacts.subject(key);
    JsonObject body = new JsonObject(entry.body());
    List<String> items = new ArrayList<>();
    if (subject == null && body.getValue("items") instanceof JsonArray list) {
      for (Object item : list) {
        if (item instanceof JsonObject o) {
          String id = itemId(o);
          if (id != null) {
            items.add(id);
          }
        }
      }
    }
    List<String> ids = subject != null ? List.of(subject) : items;
    if (ids.isEmpty()) {
      return Future.succeededFuture(entry);
    }
    Request mget = Request.cmd(Command.MGET);
    ids.forEach(id -> mget.arg(DiscoveryApi.GONE_PREFIX + id));
    return redis.send(mget).map(r -> {
      Set<String> gone = new HashSet<>();
      for (int i = 0; i < ids.size(); i++) {
        if (r.get(i) != null) {
          gone.add(ids.get(i));
        }
      }
      if (gone.isEmpty()) {
        return entry;
      }
      if (subject != null) {
        return null;
      }
      JsonArray original = body.getJsonArray("items");
      JsonArray kept = new JsonArray();
      for (Object item : original) {
        JsonObject o = (JsonObject) item;
        String id = itemId(o);
        if (id == null || !gone.contains(id)) {
          kept.add(o);
        }
      }
      body.put("items", kept);
      if (body.getValue("total") instanceof Number total) {
        body.put("total", Math.max(0, total.longValue() - (original.size() - kept.size())));
      }
      Buffer filtered = body.toBuffer();
      return new Entry(filtered, "\"" + Hashes.sha256Hex(filtered.getBytes(), 12) + "\"", 0, null, null);
    });
  }

  /**
   * Applies a change the discovery service announced: what leaves the near cache leaves the stale store too (the
   * details; lists are checked against tombstones when served stale, see {@link #stale}), and loads begun before it
   * are neither joined nor stored.
   */
  void invalidate(DiscoveryApi.Invalidation change) {
    flights.invalidate();
    Request del = Request.cmd(Command.DEL);
    for (UUID id : change.programs()) {
      String program = DiscoveryFacts.program(id);
      near.remove(program);
      del.arg(prefix + program);
      String episodesOf = DiscoveryFacts.programEpisodes(id);
      near.keySet().removeIf(k -> k.startsWith(episodesOf));
    }
    for (UUID id : change.episodes()) {
      String episode = DiscoveryFacts.episode(id);
      near.remove(episode);
      del.arg(prefix + episode);
    }
    if (!change.programs().isEmpty() || !change.episodes().isEmpty()) {
      redis.send(del).onFailure(err -> { }); // best effort: tombstones still guard what stays
    }
    if (change.lists()) {
      near.keySet().removeIf(DiscoveryFacts::isList);
    }
  }

  int size() {
    return near.size();
  }
}
