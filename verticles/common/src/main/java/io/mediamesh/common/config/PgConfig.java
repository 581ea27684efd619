package io.mediamesh.common.config;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;

/** PostgreSQL server settings shared by all services; each service names its own database. */
public record PgConfig(String host, int port, String user, String password, int maxPoolSize, boolean createDatabases) {

  public static PgConfig from(JsonObject root) {
    JsonObject o = Configs.section(root, "pg");
    return new PgConfig(Configs.string(o, "pg", "host"), Configs.port(o, "pg", "port"),
      Configs.string(o, "pg", "user"), Configs.string(o, "pg", "password"),
      Configs.integer(o, "pg", "maxPoolSize"), Configs.bool(o, "pg", "createDatabases"));
  }

  /**
   * Connection settings for a service's database. JIT compilation is off for these sessions: the services run
   * short, planned-once statements, for which compiling costs far more than it saves (a typo correction planned at
   * a high cost spent a second compiling to save milliseconds).
   */
  public PgConnectOptions connectOptions(String database) {
    PgConnectOptions options = new PgConnectOptions().setHost(host).setPort(port).setUser(user).setDatabase(database)
      .addProperty("jit", "off");
    if (!password.isEmpty()) {
      options.setPassword(password);
    }
    return options;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "PgConfig[" + user + "@" + host + ":" + port + "]";
  }
}
