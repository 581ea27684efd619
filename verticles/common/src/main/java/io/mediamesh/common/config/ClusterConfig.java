package io.mediamesh.common.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** Hazelcast clustering of the event bus; loopback by default. */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members) {

  public static ClusterConfig from(JsonObject root) {
    JsonObject o = Configs.section(root, "cluster");
    return new ClusterConfig(Configs.bool(o, "cluster", "enabled"), Configs.string(o, "cluster", "name"),
      Configs.string(o, "cluster", "host"), Configs.port(o, "cluster", "port"),
      Configs.strings(o, "cluster", "members"));
  }
}
