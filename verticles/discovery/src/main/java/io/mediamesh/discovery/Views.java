package io.mediamesh.discovery;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * View counting in Redis sorted sets, one script per view (atomic: no read-then-write race between instances).
 * <ul>
 *   <li>A viewer counts once per content per {@code dedupeWindow}: the first view sets a marker with that expiry.</li>
 *   <li>Popular: the all-time count per content.</li>
 *   <li>Trending: exponentially time-decayed views (half-life {@code halfLife}). Instead of decaying every score,
 *   each new view adds 2^((now - epoch) / halfLife), which ranks exactly like decayed counts; when the increments
 *   grow large the set is rescaled and the epoch moves, in the same script. Reads divide by 2^((now - epoch) /
 *   halfLife) to report the decayed score, and drop content whose score fell below {@code MIN_TRENDING} (about four
 *   half-lives without a view): that is the "recent window".</li>
 * </ul>
 */
final class Views {

  static final double MIN_TRENDING = 0.05;
  private static final String PREFIX = "mm:disc:views:";
  private static final String RECORD = """
    if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[3]) then return 0 end
    redis.call('ZINCRBY', KEYS[2], 1, ARGV[1])
    local now = tonumber(ARGV[2])
    local half = tonumber(ARGV[4])
    local epoch = tonumber(redis.call('GET', KEYS[4]) or ARGV[2])
    if now - epoch > 40 * half then
      redis.call('ZUNIONSTORE', KEYS[3], 1, KEYS[3], 'WEIGHTS', math.pow(2, -(now - epoch) / half))
      redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(0.001')
      epoch = now
    end
    redis.call('SET', KEYS[4], tostring(epoch))
    redis.call('ZINCRBY', KEYS[3], math.pow(2, (now - epoch) / half), ARGV[1])
    return 1""";

  /** A ranked content: {@code member} is {@code TYPE:id}. */
  record Ranked(String type, String id, double score, long views) {
  }

  private final RedisAPI redis;
  private final long dedupeWindowSeconds;
  private final long halfLifeSeconds;

  Views(Redis redis, long dedupeWindowSeconds, long halfLifeSeconds) {
    this.redis = RedisAPI.api(redis);
    this.dedupeWindowSeconds = dedupeWindowSeconds;
    this.halfLifeSeconds = halfLifeSeconds;
  }

  /** Counts a view; false when this viewer already viewed this content within the window. */
  Future<Boolean> record(String type, String id, String viewer, long nowSeconds) {
    String member = type + ":" + id;
    return redis.eval(List.of(RECORD, "4", PREFIX + "seen:" + member + ":" + viewer, PREFIX + "popular",
        PREFIX + "trending", PREFIX + "epoch", member, String.valueOf(nowSeconds),
        String.valueOf(dedupeWindowSeconds), String.valueOf(halfLifeSeconds)))
      .map(r -> r.toInteger() == 1);
  }

  /** The top {@code count} by decayed recent views, best first, with their decayed score and all-time views. */
  Future<List<Ranked>> trending(int count, long nowSeconds) {
    Future<Response> top = redis.zrevrange(List.of(PREFIX + "trending", "0", String.valueOf(count - 1), "WITHSCORES"));
    Future<Response> epoch = redis.get(PREFIX + "epoch");
    return Future.all(top, epoch).compose(all -> {
      double scale = epoch.result() == null ? 1
        : Math.pow(2, -(nowSeconds - epoch.result().toLong()) / (double) halfLifeSeconds);
      List<Ranked> ranked = new ArrayList<>();
      for (Map.Entry<String, Double> pair : pairs(top.result())) {
        double score = pair.getValue() * scale;
        if (score >= MIN_TRENDING) {
          ranked.add(ranked(pair.getKey(), score, 0));
        }
      }
      return withViews(ranked);
    });
  }

  /** The top {@code count} by all-time views. */
  Future<List<Ranked>> popular(int count) {
    return redis.zrevrange(List.of(PREFIX + "popular", "0", String.valueOf(count - 1), "WITHSCORES")).map(top -> {
      List<Ranked> ranked = new ArrayList<>();
      for (Map.Entry<String, Double> pair : pairs(top)) {
        long views = pair.getValue().longValue();
        ranked.add(ranked(pair.getKey(), views, views));
      }
      return ranked;
    });
  }

  private Future<List<Ranked>> withViews(List<Ranked> ranked) {
    if (ranked.isEmpty()) {
      return Future.succeededFuture(ranked);
    }
    List<String> args = new ArrayList<>();
    args.add(PREFIX + "popular");
    ranked.forEach(r -> args.add(r.type() + ":" + r.id()));
    return redis.zmscore(args).map(scores -> {
      List<Ranked> out = new ArrayList<>(ranked.size());
      for (int i = 0; i < ranked.size(); i++) {
        Response s = scores.get(i);
        Ranked r = ranked.get(i);
        out.add(new Ranked(r.type(), r.id(), r.score(), s == null ? 0L : s.toDouble().longValue()));
      }
      return out;
    });
  }

  /** RESP2 answers WITHSCORES flat (member, score, ...), RESP3 as pairs; both become (member, score). */
  private static List<Map.Entry<String, Double>> pairs(Response top) {
    List<Map.Entry<String, Double>> pairs = new ArrayList<>();
    if (top.size() > 0 && top.get(0).type() == ResponseType.MULTI) {
      top.forEach(p -> pairs.add(Map.entry(p.get(0).toString(), p.get(1).toDouble())));
      return pairs;
    }
    for (int i = 0; i + 1 < top.size(); i += 2) {
      pairs.add(Map.entry(top.get(i).toString(), top.get(i + 1).toDouble()));
    }
    return pairs;
  }

  private static Ranked ranked(String member, double score, long views) {
    int colon = member.indexOf(':');
    return new Ranked(member.substring(0, colon), member.substring(colon + 1), score, views);
  }
}
