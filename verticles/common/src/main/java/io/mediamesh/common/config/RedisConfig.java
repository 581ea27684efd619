package io.mediamesh.common.config;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisOptions;

public record RedisConfig(String connectionString, int maxPoolSize) {

  public static RedisConfig from(JsonObject root) {
    JsonObject o = Configs.section(root, "redis");
    return new RedisConfig(Configs.string(o, "redis", "connectionString"), Configs.integer(o, "redis", "maxPoolSize"));
  }

  public RedisOptions options() {
    return new RedisOptions().setConnectionString(connectionString).setMaxPoolSize(maxPoolSize)
      .setMaxPoolWaiting(maxPoolSize * 64);
  }

  @Override
  public String toString() {
    // the connection string may carry a password
    return "RedisConfig[" + connectionString.replaceAll("//[^@/]*@", "//***@") + "]";
  }
}
