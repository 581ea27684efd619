package io.mediamesh.common.config;

import io.vertx.core.json.JsonObject;

/** Kafka settings; an empty {@code bootstrapServers} means "none configured" (the launcher then starts one). */
public record KafkaConfig(String bootstrapServers, int partitions, short replicationFactor,
                          String embeddedHost, int embeddedPort, String embeddedDataDir) {

  public static KafkaConfig from(JsonObject root) {
    JsonObject o = Configs.section(root, "kafka");
    JsonObject e = Configs.section(o, "embedded");
    return new KafkaConfig(Configs.string(o, "kafka", "bootstrapServers"), Configs.integer(o, "kafka", "partitions"),
      (short) Configs.integer(o, "kafka", "replicationFactor"), Configs.string(e, "kafka.embedded", "host"),
      Configs.port(e, "kafka.embedded", "port"), Configs.string(e, "kafka.embedded", "dataDir"));
  }

  public boolean configured() {
    return !bootstrapServers.isBlank();
  }
}
