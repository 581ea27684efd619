package io.mediamesh.playback.sessions;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Playback sessions and each account's stream slots, in Redis. An account's running sessions are a sorted set scored
 * by their last heartbeat (time from the service's clock, passed in, so tests move it); entries older than the
 * session TTL (two heartbeat intervals) are stale and dropped by every script before it counts. Taking a slot and
 * renewing one are single scripts: two plays racing for the last slot cannot both win. A plan that ends the oldest
 * session instead of refusing marks the evicted session, whose next heartbeat then learns why it ended.
 * <p>
 * Every running session also has a deadline (its last heartbeat plus the TTL) in one sorted set of the service, with
 * a copy of its state, so a session that simply stops reporting is ended too: {@link #claimTimedOut} takes the
 * sessions past their deadline, and whoever removes a session's deadline (an end, or that claim) is the one that
 * announces its end, once.
 */
public final class StreamSessions {

  private static final String PREFIX = "mm:pb:";
  private static final String DEADLINES = PREFIX + "deadlines";
  private static final String STATES = PREFIX + "states";
  /**
   * KEYS: slots, session, evicted-prefix, deadlines, states. ARGV: now, staleBefore, max, evict (1/0), session id,
   * session JSON, ttl ms.
   */
  private static final String ACQUIRE = """
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
    local n = redis.call('ZCARD', KEYS[1])
    local max = tonumber(ARGV[3])
    local evicted = {}
    if n >= max then
      if ARGV[4] ~= '1' then return {0} end
      evicted = redis.call('ZRANGE', KEYS[1], 0, n - max)
      for _, old in ipairs(evicted) do
        redis.call('ZREM', KEYS[1], old)
        redis.call('SET', KEYS[3] .. old, '1', 'PX', ARGV[7])
      end
    end
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
    redis.call('PEXPIRE', KEYS[1], ARGV[7])
    redis.call('SET', KEYS[2], ARGV[6], 'PX', ARGV[7])
    redis.call('ZADD', KEYS[4], tonumber(ARGV[1]) + tonumber(ARGV[7]), ARGV[5])
    redis.call('HSET', KEYS[5], ARGV[5], ARGV[6])
    local out = {1}
    for _, old in ipairs(evicted) do table.insert(out, old) end
    return out""";
  /**
   * KEYS: slots, session, evicted-prefix, deadlines, states. ARGV: now, staleBefore, session id, session JSON, ttl ms.
   * 1 ok, 0 gone, 2 evicted.
   */
  private static final String RENEW = """
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
    if not redis.call('ZSCORE', KEYS[1], ARGV[3]) then
      redis.call('DEL', KEYS[2])
      if redis.call('EXISTS', KEYS[3] .. ARGV[3]) == 1 then return 2 end
      return 0
    end
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
    redis.call('PEXPIRE', KEYS[1], ARGV[5])
    redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
    redis.call('ZADD', KEYS[4], 'XX', tonumber(ARGV[1]) + tonumber(ARGV[5]), ARGV[3])
    redis.call('HSET', KEYS[5], ARGV[3], ARGV[4])
    return 1""";
  /** KEYS: slots, session, deadlines, states. ARGV: session id. 1 when this removed the session's deadline. */
  private static final String END = """
    redis.call('ZREM', KEYS[1], ARGV[1])
    redis.call('DEL', KEYS[2])
    redis.call('HDEL', KEYS[4], ARGV[1])
    return redis.call('ZREM', KEYS[3], ARGV[1])""";
  /**
   * KEYS: deadlines, states, evicted-prefix. ARGV: now, limit. The sessions whose deadline has passed, each removed
   * with its state copy: {id, deadline, state or false, evicted 1/0, ...}.
   */
  private static final String CLAIM = """
    local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
    local out = {}
    for i = 1, #due, 2 do
      local id = due[i]
      redis.call('ZREM', KEYS[1], id)
      local state = redis.call('HGET', KEYS[2], id)
      redis.call('HDEL', KEYS[2], id)
      table.insert(out, id)
      table.insert(out, due[i + 1])
      table.insert(out, state)
      table.insert(out, redis.call('EXISTS', KEYS[3] .. id))
    end
    return out""";

  private final RedisAPI redis;
  private final long ttlMs;

  public StreamSessions(Redis redis, long ttlMs) {
    this.redis = RedisAPI.api(redis);
    this.ttlMs = ttlMs;
  }

  /** The outcome of taking a slot: taken (with the sessions it ended to make room) or refused. */
  public record Acquired(boolean taken, List<UUID> evicted) {
  }

  /** A session that stopped reporting: its state (null if lost), its deadline, and whether it was evicted. */
  public record TimedOut(UUID id, JsonObject state, long deadlineMs, boolean evicted) {
  }

  /** How a renewal went. */
  public enum Renewal {
    RENEWED, GONE, EVICTED
  }

  /** The account's sessions still counted at {@code nowMs}. */
  public Future<Integer> active(String account, long nowMs) {
    return redis.zcount(slots(account), String.valueOf(nowMs - ttlMs), "+inf").map(Response::toInteger);
  }

  public Future<Acquired> acquire(String account, UUID session, JsonObject state, int maxStreams, boolean evict,
                                  long nowMs) {
    return redis.eval(List.of(ACQUIRE, "5", slots(account), session(session),
        io.mediamesh.common.stream.StreamSessionKeys.EVICTED_PREFIX, DEADLINES, STATES, String.valueOf(nowMs), String.valueOf(nowMs - ttlMs), String.valueOf(maxStreams), evict ? "1" : "0",
        session.toString(), state.encode(), String.valueOf(ttlMs)))
      .map(r -> {
        if (r.get(0).toInteger() != 1) {
          return new Acquired(false, List.of());
        }
        List<UUID> evicted = new java.util.ArrayList<>();
        for (int i = 1; i < r.size(); i++) {
          evicted.add(UUID.fromString(r.get(i).toString()));
        }
        return new Acquired(true, evicted);
      });
  }

  public Future<Renewal> renew(String account, UUID session, JsonObject state, long nowMs) {
    return redis.eval(List.of(RENEW, "5", slots(account), session(session),
        io.mediamesh.common.stream.StreamSessionKeys.EVICTED_PREFIX, DEADLINES, STATES, String.valueOf(nowMs), String.valueOf(nowMs - ttlMs), session.toString(), state.encode(),
        String.valueOf(ttlMs)))
      .map(r -> switch (r.toInteger()) {
        case 1 -> Renewal.RENEWED;
        case 2 -> Renewal.EVICTED;
        default -> Renewal.GONE;
      });
  }

  /** The session's state, if it is still there. */
  public Future<Optional<JsonObject>> get(UUID session) {
    return redis.get(session(session)).map(r -> r == null ? Optional.empty()
      : Optional.of(new JsonObject(r.toString())));
  }

  /**
   * Ends a session: its slot is freed at once. True when this removed its deadline, so the caller announces the end
   * (false: it was ended, or claimed as timed out, already).
   */
  public Future<Boolean> end(String account, UUID session) {
    return redis.eval(List.of(END, "4", slots(account), session(session), DEADLINES, STATES, session.toString()))
      .map(r -> r.toInteger() == 1);
  }

  /** Takes up to {@code limit} sessions whose deadline passed before {@code nowMs}; each is returned once. */
  public Future<List<TimedOut>> claimTimedOut(long nowMs, int limit) {
    return redis.eval(List.of(CLAIM, "3", DEADLINES, STATES,
        io.mediamesh.common.stream.StreamSessionKeys.EVICTED_PREFIX, String.valueOf(nowMs), String.valueOf(limit)))
      .map(r -> {
        List<TimedOut> out = new java.util.ArrayList<>(r.size() / 4);
        for (int i = 0; i + 3 < r.size(); i += 4) {
          Response state = r.get(i + 2);
          out.add(new TimedOut(UUID.fromString(r.get(i).toString()), state == null ? null
            : new JsonObject(state.toString()), (long) Double.parseDouble(r.get(i + 1).toString()),
            r.get(i + 3).toInteger() == 1));
        }
        return out;
      });
  }

  /** Puts claimed sessions back (their end could not be recorded): the next sweep takes them again. */
  public Future<Void> unclaim(List<TimedOut> claimed) {
    if (claimed.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> zadd = new java.util.ArrayList<>();
    zadd.add(DEADLINES);
    List<String> hset = new java.util.ArrayList<>();
    hset.add(STATES);
    for (TimedOut t : claimed) {
      zadd.add(String.valueOf(t.deadlineMs()));
      zadd.add(t.id().toString());
      if (t.state() != null) {
        hset.add(t.id().toString());
        hset.add(t.state().encode());
      }
    }
    Future<?> states = hset.size() > 1 ? redis.hset(hset) : Future.succeededFuture();
    return states.compose(v -> redis.zadd(zadd)).mapEmpty();
  }

  private static String slots(String account) {
    return PREFIX + "slots:" + account;
  }

  private static String session(UUID id) {
    return io.mediamesh.common.stream.StreamSessionKeys.session(id);
  }
}
