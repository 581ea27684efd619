package io.mediamesh.testkit;

import io.mediamesh.common.config.ConfigLoader;
import io.mediamesh.common.config.PgConfig;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.db.Databases;
import io.mediamesh.devstack.EmbeddedKafka;
import io.mediamesh.devstack.EmbeddedS3;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The infrastructure one test class gets from {@link InfraExtension}: its own databases (a suffix unique to the
 * class, dropped afterwards), its own Redis logical database (flushed before and after), the JVM's shared Kafka
 * broker and S3 store, and a {@link PlatformConfig} that points every service at all of that with port 0.
 */
public final class TestInfra {

  /** The operator token of every platform the tests start (generated per run, never a constant credential). */
  public static final String OPS_TOKEN = "ops-" + java.util.UUID.randomUUID();

  private static final AtomicInteger REDIS_DB = new AtomicInteger(1);

  private final String suffix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final int redisDb = 1 + (REDIS_DB.getAndIncrement() % 15);
  private final List<String> databases = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();

  TestInfra() {
  }

  public PgConfig pg() {
    return SharedInfra.pg();
  }

  public EmbeddedKafka kafka() {
    return SharedInfra.kafka();
  }

  public EmbeddedS3 s3() {
    return SharedInfra.s3();
  }

  public String redisConnectionString() {
    String base = SharedInfra.redis().connectionString().replaceAll("/\\d+$", "");
    return base + "/" + redisDb;
  }

  /** A database name unique to this class; created (and later dropped) on first use. */
  public String database(String name) {
    String db = (name + "_" + suffix).toLowerCase(Locale.ROOT);
    if (!databases.contains(db)) {
      Await.result(Databases.ensureExists(vertx, pg(), db));
      databases.add(db);
    }
    return db;
  }

  /** A pool on {@link #database(String)}, migrated with the kernel's and the named service's migrations. */
  public Pool migratedPool(Vertx owner, String name, String service) {
    String db = database(name);
    Await.result(Databases.migrate(vertx, pg(), db, service));
    return Databases.pool(owner, pg(), db);
  }

  /**
   * Configuration for running services against this class's infrastructure: every service's database suffixed,
   * every port 0, Kafka and S3 in-process, Redis on this class's logical database; {@code overlay} last.
   */
  public PlatformConfig platformConfig(JsonObject overlay) {
    JsonObject raw = SharedInfra.baseConfig();
    raw.put("ops", new JsonObject().put("token", OPS_TOKEN));
    JsonObject services = raw.getJsonObject("services");
    for (String name : services.fieldNames()) {
      JsonObject s = services.getJsonObject(name);
      s.put("port", 0);
      if (s.containsKey("database")) {
        String db = s.getString("database") + "_" + suffix;
        s.put("database", db);
        databases.add(db);
      }
    }
    raw.getJsonObject("kafka").put("bootstrapServers", kafka().bootstrapServers());
    raw.getJsonObject("s3").put("endpoint", s3().endpoint()).put("accessKey", s3().accessKey())
      .put("secretKey", s3().secretKey()).put("bucket", "media-" + suffix);
    raw.getJsonObject("redis").put("connectionString", redisConnectionString());
    raw.getJsonObject("cluster").put("enabled", false).put("name", "test-" + suffix);
    raw.getJsonObject("outbox").put("pollIntervalMs", 200);
    raw.getJsonObject("consumer").put("initialBackoffMs", 50).put("maxBackoffMs", 500);
    return PlatformConfig.from(ConfigLoader.deepMerge(raw, overlay));
  }

  public PlatformConfig platformConfig() {
    return platformConfig(new JsonObject());
  }

  /** A topic name unique to this class. */
  public String topic(String base) {
    return base + "." + suffix;
  }

  public String suffix() {
    return suffix;
  }

  void flushRedis() {
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisConnectionString()));
    Await.result(redis.send(Request.cmd(Command.FLUSHDB)).eventually(() -> {
      redis.close();
      return Future.succeededFuture();
    }));
  }

  void close() {
    try {
      flushRedis();
      for (String db : databases) {
        Await.result(Databases.drop(vertx, pg(), db));
      }
    } finally {
      Await.result(vertx.close());
    }
  }
}
