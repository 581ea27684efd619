package io.mediamesh.common.config;

import io.vertx.core.json.JsonObject;

/** The whole configuration, parsed once at start; each part is a typed record. */
public record PlatformConfig(JsonObject raw, PgConfig pg, RedisConfig redis, KafkaConfig kafka, S3Config s3,
                             ClusterConfig cluster, RuntimeConfig runtime) {

  public static PlatformConfig from(JsonObject raw) {
    return new PlatformConfig(raw, PgConfig.from(raw), RedisConfig.from(raw), KafkaConfig.from(raw),
      S3Config.from(raw), ClusterConfig.from(raw), RuntimeConfig.from(raw));
  }

  public ServiceConfig service(String name) {
    return ServiceConfig.from(raw, name);
  }

  /** A copy with {@code overlay} merged in (used by the launcher to point services at in-process infrastructure). */
  public PlatformConfig with(JsonObject overlay) {
    return from(ConfigLoader.deepMerge(raw.copy(), overlay));
  }
}
