package io.mediamesh.testkit;

import io.mediamesh.common.config.ConfigLoader;
import io.mediamesh.common.config.PgConfig;
import io.mediamesh.common.config.RedisConfig;
import io.mediamesh.devstack.EmbeddedKafka;
import io.mediamesh.devstack.EmbeddedS3;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Infrastructure shared by all tests of one JVM, started on first use and stopped when the JVM exits: a Kafka
 * broker and an S3 store in-process on free loopback ports, and the PostgreSQL and Redis servers named by the
 * configuration (127.0.0.1 by default; {@code MEDIAMESH_PG_*} and {@code MEDIAMESH_REDIS_*} override).
 */
public final class SharedInfra {

  private static EmbeddedKafka kafka;
  private static EmbeddedS3 s3;
  private static Path kafkaDir;

  private SharedInfra() {
  }

  public static JsonObject baseConfig() {
    return ConfigLoader.load(null, System.getenv());
  }

  public static PgConfig pg() {
    return PgConfig.from(baseConfig());
  }

  public static RedisConfig redis() {
    return RedisConfig.from(baseConfig());
  }

  public static synchronized EmbeddedKafka kafka() {
    if (kafka == null) {
      try {
        kafkaDir = Files.createTempDirectory("mediamesh-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      kafka = EmbeddedKafka.start("127.0.0.1", 0, kafkaDir);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        kafka.stop();
        TestFiles.deleteTree(kafkaDir);
      }));
    }
    return kafka;
  }

  public static synchronized EmbeddedS3 s3() {
    if (s3 == null) {
      s3 = EmbeddedS3.start("127.0.0.1", 0, null, "test-" + UUID.randomUUID().toString().substring(0, 8),
        UUID.randomUUID().toString());
      Runtime.getRuntime().addShutdownHook(new Thread(s3::stop));
    }
    return s3;
  }
}
