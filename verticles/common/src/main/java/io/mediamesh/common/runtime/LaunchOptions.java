package io.mediamesh.common.runtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options shared by the launcher and the service jars:
 * {@code --conf=FILE}, {@code --cluster} / {@code --no-cluster}, {@code --members=HOST[:PORT],...},
 * {@code --cluster-port=N}, {@code --services=a,b} (launcher only).
 */
public record LaunchOptions(Path conf, Boolean cluster, List<String> members, Integer clusterPort,
                            List<String> services) {

  public static LaunchOptions parse(String... args) {
    Path conf = null;
    Boolean cluster = null;
    List<String> members = null;
    Integer clusterPort = null;
    List<String> services = null;
    for (String arg : args) {
      if (arg.startsWith("--conf=")) {
        conf = Path.of(value(arg));
      } else if (arg.equals("--cluster")) {
        cluster = true;
      } else if (arg.equals("--no-cluster")) {
        cluster = false;
      } else if (arg.startsWith("--members=")) {
        members = list(value(arg));
        cluster = cluster == null ? Boolean.TRUE : cluster;
      } else if (arg.startsWith("--cluster-port=")) {
        try {
          clusterPort = Integer.parseInt(value(arg));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--cluster-port must be a number");
        }
      } else if (arg.startsWith("--services=")) {
        services = list(value(arg));
      } else {
        throw new IllegalArgumentException("unknown option " + arg + "\n" + usage());
      }
    }
    return new LaunchOptions(conf, cluster, members, clusterPort, services);
  }

  /** The options that change configuration, as an overlay for {@link io.mediamesh.common.config.PlatformConfig}. */
  public JsonObject overlay() {
    JsonObject clusterSection = new JsonObject();
    if (cluster != null) {
      clusterSection.put("enabled", cluster);
    }
    if (members != null) {
      clusterSection.put("members", new JsonArray(members));
    }
    if (clusterPort != null) {
      clusterSection.put("port", clusterPort);
    }
    return clusterSection.isEmpty() ? new JsonObject() : new JsonObject().put("cluster", clusterSection);
  }

  public static String usage() {
    return "options: --conf=FILE --cluster|--no-cluster --members=127.0.0.1,10.0.0.2:5701,... --cluster-port=N"
      + " --services=cms,auth,...";
  }

  private static String value(String arg) {
    return arg.substring(arg.indexOf('=') + 1);
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
