package io.mediamesh.gateway.ratelimit;

import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.SharedInfra;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.UUID;

/**
 * The rate-limit tests' Redis: the server the platform configuration names ({@code MEDIAMESH_REDIS_*} override
 * 127.0.0.1:6379), on logical database 13, above the ones {@link io.mediamesh.testkit.TestInfra} hands out to a
 * test JVM's first classes. Nothing is flushed, since the server is shared with other tests and benchmarks: each
 * class keys its limiters by a prefix of its own and deletes exactly the keys under it.
 */
final class TestRedis {

  static final int DB = 13;

  private TestRedis() {
  }

  static Redis client(Vertx vertx) {
    String base = SharedInfra.redis().connectionString().replaceAll("/\\d+$", "");
    return Redis.createClient(vertx, new RedisOptions().setConnectionString(base + "/" + DB).setMaxPoolSize(8));
  }

  /** A {@link RateLimiter} prefix no other run uses. */
  static String uniquePrefix(String what) {
    return what + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** After a class: deletes its limiters' keys, then closes its client and its Vert.x, whatever failed. */
  static void release(Vertx vertx, Redis redis, String prefix) {
    try {
      deleteLimiterKeys(redis, prefix);
    } finally {
      redis.close();
      Await.result(vertx.close());
    }
  }

  /** Deletes the keys a {@link RateLimiter} with this prefix made; returns how many there were. */
  static int deleteLimiterKeys(Redis redis, String prefix) {
    String cursor = "0";
    int deleted = 0;
    do {
      Response page = Await.result(redis.send(Request.cmd(Command.SCAN).arg(cursor)
        .arg("MATCH").arg("rl:" + prefix + ":*").arg("COUNT").arg(1000)));
      cursor = page.get(0).toString();
      Request del = Request.cmd(Command.DEL);
      for (Response key : page.get(1)) {
        del.arg(key.toString());
      }
      if (page.get(1).size() > 0) {
        deleted += Await.result(redis.send(del)).toInteger();
      }
    } while (!"0".equals(cursor));
    return deleted;
  }
}
