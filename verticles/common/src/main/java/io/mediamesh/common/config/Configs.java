package io.mediamesh.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Small strict accessors: a missing or mistyped key is a {@link ConfigException} naming its path. */
final class Configs {

  private Configs() {
  }

  static JsonObject section(JsonObject root, String key) {
    Object v = root.getValue(key);
    if (!(v instanceof JsonObject)) {
      throw new ConfigException("config section '" + key + "' is missing");
    }
    return (JsonObject) v;
  }

  static String string(JsonObject o, String path, String key) {
    Object v = o.getValue(key);
    if (!(v instanceof String)) {
      throw new ConfigException("config '" + path + "." + key + "' must be a string");
    }
    return (String) v;
  }

  static int integer(JsonObject o, String path, String key) {
    Object v = o.getValue(key);
    if (!(v instanceof Number)) {
      throw new ConfigException("config '" + path + "." + key + "' must be a number");
    }
    return ((Number) v).intValue();
  }

  static int port(JsonObject o, String path, String key) {
    int p = integer(o, path, key);
    if (p < 0 || p > 65535) {
      throw new ConfigException("config '" + path + "." + key + "' must be a port (0-65535), got " + p);
    }
    return p;
  }

  static boolean bool(JsonObject o, String path, String key) {
    Object v = o.getValue(key);
    if (!(v instanceof Boolean)) {
      throw new ConfigException("config '" + path + "." + key + "' must be true or false");
    }
    return (Boolean) v;
  }

  static List<String> strings(JsonObject o, String path, String key) {
    Object v = o.getValue(key);
    if (v instanceof String s) {
      return s.isBlank() ? List.of() : List.of(s.split("\\s*,\\s*"));
    }
    if (!(v instanceof JsonArray)) {
      throw new ConfigException("config '" + path + "." + key + "' must be a list");
    }
    return ((JsonArray) v).stream().map(String::valueOf).toList();
  }
}
