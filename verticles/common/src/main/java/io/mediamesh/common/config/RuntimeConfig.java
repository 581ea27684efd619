package io.mediamesh.common.config;

import io.vertx.core.json.JsonObject;

/** Outbox relay, consumer retry and bus timeouts: the knobs of the kernel's moving parts. */
public record RuntimeConfig(String httpHost, int maxBodyBytes, long busTimeoutMs, long outboxPollIntervalMs,
                            int outboxBatchSize, int consumerMaxAttempts, long consumerInitialBackoffMs,
                            long consumerMaxBackoffMs) {

  public static RuntimeConfig from(JsonObject root) {
    JsonObject http = Configs.section(root, "http");
    JsonObject bus = Configs.section(root, "bus");
    JsonObject outbox = Configs.section(root, "outbox");
    JsonObject consumer = Configs.section(root, "consumer");
    return new RuntimeConfig(Configs.string(http, "http", "host"), Configs.integer(http, "http", "maxBodyBytes"),
      Configs.integer(bus, "bus", "timeoutMs"), Configs.integer(outbox, "outbox", "pollIntervalMs"),
      Configs.integer(outbox, "outbox", "batchSize"), Configs.integer(consumer, "consumer", "maxAttempts"),
      Configs.integer(consumer, "consumer", "initialBackoffMs"), Configs.integer(consumer, "consumer", "maxBackoffMs"));
  }
}
