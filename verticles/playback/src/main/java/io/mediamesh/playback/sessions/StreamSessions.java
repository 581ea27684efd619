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
 */
public final class StreamSessions {

  private static final String PREFIX = "mm:pb:";
  /** KEYS: slots, session. ARGV: now, staleBefore, max, evict (1/0), session id, session JSON, ttl ms. */
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
    local out = {1}
    for _, old in ipairs(evicted) do table.insert(out, old) end
    return out""";
  /** KEYS: slots, session, evicted-prefix. ARGV: now, staleBefore, session id, session JSON, ttl ms. 1 ok, 0 gone, 2 evicted. */
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
    return 1""";

  private final RedisAPI redis;
  private final long ttlMs;

  public StreamSessions(Redis redis, long ttlMs) {
    this.redis = RedisAPI.api(redis);
    this.ttlMs = ttlMs;
  }

  /** The outcome of taking a slot: taken (with the sessions it ended to make room) or refused. */
  public record Acquired(boolean taken, List<UUID> evicted) {
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
    return redis.eval(List.of(ACQUIRE, "3", slots(account), session(session), io.mediamesh.common.stream.StreamSessionKeys.EVICTED_PREFIX,
        String.valueOf(nowMs), String.valueOf(nowMs - ttlMs), String.valueOf(maxStreams), evict ? "1" : "0",
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
    return redis.eval(List.of(RENEW, "3", slots(account), session(session), io.mediamesh.common.stream.StreamSessionKeys.EVICTED_PREFIX,
        String.valueOf(nowMs), String.valueOf(nowMs - ttlMs), session.toString(), state.encode(),
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

  /** Ends a session: its slot is freed at once. */
  public Future<Void> end(String account, UUID session) {
    return redis.zrem(List.of(slots(account), session.toString()))
      .compose(v -> redis.del(List.of(session(session))))
      .mapEmpty();
  }

  private static String slots(String account) {
    return PREFIX + "slots:" + account;
  }

  private static String session(UUID id) {
    return io.mediamesh.common.stream.StreamSessionKeys.session(id);
  }
}
