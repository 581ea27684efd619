package io.mediamesh.common.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One service's own section under {@code services.<name>}: its port, its database (if it owns one), the services
 * it calls (gateways), and the raw section for settings specific to it.
 */
public record ServiceConfig(String name, int port, String database, List<String> downstream, JsonObject raw) {

  public static ServiceConfig from(JsonObject root, String name) {
    JsonObject services = Configs.section(root, "services");
    JsonObject o = services.getJsonObject(name);
    if (o == null) {
      throw new ConfigException("config 'services." + name + "' is missing");
    }
    String path = "services." + name;
    String database = o.containsKey("database") ? Configs.string(o, path, "database") : null;
    List<String> downstream = o.containsKey("downstream") ? Configs.strings(o, path, "downstream") : List.of();
    if (database != null && !database.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new ConfigException("config '" + path + ".database' must be a lower-case identifier, got " + database);
    }
    return new ServiceConfig(name, Configs.port(o, path, "port"), database, downstream, o);
  }
}
