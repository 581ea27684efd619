package io.mediamesh.common.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the platform configuration in three layers, later ones winning:
 * <ol>
 *   <li>defaults: {@code conf/mediamesh.json}, shipped on the classpath of every jar;</li>
 *   <li>an optional JSON file named by {@code --conf} or {@code MEDIAMESH_CONFIG};</li>
 *   <li>environment variables {@code MEDIAMESH_<PATH>}, where the path is the key path in upper case with
 *       {@code _} between words (dashes and camel case humps are matched loosely), e.g.
 *       {@code MEDIAMESH_KAFKA_BOOTSTRAP_SERVERS} sets {@code kafka.bootstrapServers} and
 *       {@code MEDIAMESH_SERVICES_CMS_GATEWAY_PORT} sets {@code services."cms-gateway".port}.</li>
 * </ol>
 * Only keys that exist in the defaults can be set from the environment; the value is converted to the
 * default's type (numbers, booleans, comma-separated arrays), and a value that does not convert is an error
 * naming the variable, so a typo fails the start instead of being ignored.
 */
public final class ConfigLoader {

  public static final String DEFAULTS_RESOURCE = "conf/mediamesh.json";
  public static final String ENV_PREFIX = "MEDIAMESH_";
  public static final String CONFIG_FILE_ENV = "MEDIAMESH_CONFIG";

  private ConfigLoader() {
  }

  public static JsonObject load(Path file, Map<String, String> env) {
    JsonObject config = defaults();
    Path chosen = file != null ? file : pathFromEnv(env);
    if (chosen != null) {
      deepMerge(config, readFile(chosen));
    }
    applyEnv(config, env);
    return config;
  }

  public static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new ConfigException("missing " + DEFAULTS_RESOURCE + " on the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException("cannot read " + DEFAULTS_RESOURCE + ": " + e.getMessage());
    }
  }

  private static Path pathFromEnv(Map<String, String> env) {
    String value = env.get(CONFIG_FILE_ENV);
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("config file " + file + " is not a JSON object: " + e.getMessage());
    }
  }

  /** Merges {@code overlay} into {@code base}: objects recursively, everything else replaced. */
  public static JsonObject deepMerge(JsonObject base, JsonObject overlay) {
    for (Map.Entry<String, Object> e : overlay) {
      Object current = base.getValue(e.getKey());
      if (current instanceof JsonObject && e.getValue() instanceof JsonObject) {
        deepMerge((JsonObject) current, (JsonObject) e.getValue());
      } else {
        base.put(e.getKey(), e.getValue());
      }
    }
    return base;
  }

  static void applyEnv(JsonObject config, Map<String, String> env) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || name.equals(CONFIG_FILE_ENV)) {
        continue;
      }
      String path = normalise(name.substring(ENV_PREFIX.length()));
      set(config, path, name, e.getValue());
    }
  }

  /** Walks the tree matching normalised key names against the front of the remaining path. */
  private static boolean set(JsonObject node, String path, String var, String raw) {
    for (String key : node.fieldNames()) {
      String k = normalise(key);
      if (path.equals(k)) {
        node.put(key, convert(node.getValue(key), raw, var));
        return true;
      }
      if (path.startsWith(k) && node.getValue(key) instanceof JsonObject child
        && set(child, path.substring(k.length()), var, raw)) {
        return true;
      }
    }
    return false;
  }

  private static String normalise(String s) {
    return s.replace("_", "").replace("-", "").replace(".", "").toUpperCase(Locale.ROOT);
  }

  private static Object convert(Object current, String raw, String var) {
    try {
      if (current instanceof Integer) {
        return Integer.parseInt(raw.trim());
      }
      if (current instanceof Long) {
        return Long.parseLong(raw.trim());
      }
      if (current instanceof Number) {
        return Double.parseDouble(raw.trim());
      }
    } catch (NumberFormatException ex) {
      throw new ConfigException(var + " must be a number, got '" + raw + "'");
    }
    if (current instanceof Boolean) {
      String v = raw.trim().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new ConfigException(var + " must be true or false, got '" + raw + "'");
      }
      return Boolean.parseBoolean(v);
    }
    if (current instanceof JsonArray) {
      JsonArray out = new JsonArray();
      for (String part : raw.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
      return out;
    }
    if (current instanceof JsonObject) {
      throw new ConfigException(var + " names a section, not a value");
    }
    return Objects.requireNonNullElse(raw, "");
  }
}
