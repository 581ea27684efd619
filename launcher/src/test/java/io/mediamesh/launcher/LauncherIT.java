package io.mediamesh.launcher;

import io.mediamesh.devstack.FreePorts;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.Http;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.JavaProcess;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher jar as a newcomer runs it: every service co-located in one JVM, with the in-process Kafka broker
 * and S3 store, against the machine's PostgreSQL and Redis. Both gateways report every component up; SIGTERM
 * stops everything and frees every port.
 */
@ExtendWith(InfraExtension.class)
class LauncherIT {

  static final List<String> SERVICES = List.of("discovery-gateway", "cms-gateway", "cms", "metadata", "media",
    "processing", "playback", "ingest", "auth", "discovery", "search");

  @Test
  void coLocatedPlatformIsReadyAndStopsCleanly(TestInfra infra, @TempDir Path work) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    Map<String, String> env = new HashMap<>();
    for (String service : SERVICES) {
      int port = FreePorts.find("127.0.0.1");
      ports.put(service, port);
      String key = service.replace("-", "_").toUpperCase();
      env.put("MEDIAMESH_SERVICES_" + key + "_PORT", String.valueOf(port));
      if (!service.endsWith("gateway")) {
        // a database of this test's own (dropped afterwards) instead of the developer's <service>_db
        env.put("MEDIAMESH_SERVICES_" + key + "_DATABASE", infra.database(service + "_db"));
      }
    }
    int kafkaPort = FreePorts.find("127.0.0.1");
    int s3Port = FreePorts.find("127.0.0.1");
    env.put("MEDIAMESH_KAFKA_EMBEDDED_PORT", String.valueOf(kafkaPort));
    env.put("MEDIAMESH_S3_EMBEDDED_PORT", String.valueOf(s3Port));
    env.put("MEDIAMESH_HTTP_HOST", "127.0.0.1");
    env.put("MEDIAMESH_REDIS_CONNECTION_STRING", infra.redisConnectionString());

    long began = System.nanoTime();
    try (JavaProcess launcher = JavaProcess.start(Path.of(System.getProperty("mediamesh.launcher.jar")), List.of(),
      env, work, work.resolve("launcher.log"))) {
      for (String gateway : List.of("discovery-gateway", "cms-gateway")) {
        String url = "http://127.0.0.1:" + ports.get(gateway) + "/ready";
        Http.Reply ready = Await.value(gateway + " ready", Duration.ofSeconds(120), () -> {
          assertThat(launcher.alive()).as("launcher alive; log:\n%s", launcher.log()).isTrue();
          return Http.ops(url);
        }, r -> r.status() == 200);
        JsonObject body = ready.json();
        assertThat(body.getString("status")).isEqualTo("UP");
        assertThat(body.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("status")))
          .containsOnly("UP");
      }
      System.out.printf("launcher: all services ready %d ms after the JVM started%n",
        (System.nanoTime() - began) / 1_000_000);
      JsonObject cmsChecks = Http.ops("http://127.0.0.1:" + ports.get("cms-gateway") + "/ready").json();
      assertThat(cmsChecks.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
        .contains("service:cms", "service:metadata", "service:media", "service:processing", "service:ingest",
          "service:auth", "service:search", "service:playback", "redis");
      JsonObject media = Http.ops("http://127.0.0.1:" + ports.get("media") + "/ready").json();
      assertThat(media.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
        .contains("database", "kafka", "storage");
      JsonObject processing = Http.ops("http://127.0.0.1:" + ports.get("processing") + "/ready").json();
      assertThat(processing.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
        .contains("database", "kafka", "storage", "ffmpeg");
      for (Map.Entry<String, Integer> e : ports.entrySet()) {
        assertThat(Http.get("http://127.0.0.1:" + e.getValue() + "/health").status())
          .as(e.getKey() + " /health").isEqualTo(200);
      }
      assertThat(Http.get("http://127.0.0.1:" + ports.get("discovery-gateway") + "/openapi.yaml").body())
        .startsWith("openapi: 3.1.0");

      long stopBegan = System.nanoTime();
      int exit = launcher.terminate(60);
      System.out.printf("launcher: stopped %d ms after SIGTERM (exit %d)%n", (System.nanoTime() - stopBegan) / 1_000_000,
        exit);
      assertThat(exit).as("exit code after SIGTERM; log:\n%s", launcher.log()).isIn(0, 143);
      for (Map.Entry<String, Integer> e : ports.entrySet()) {
        assertThat(free(e.getValue())).as(e.getKey() + " port freed").isTrue();
      }
      assertThat(free(kafkaPort)).as("kafka port freed").isTrue();
      assertThat(free(s3Port)).as("s3 port freed").isTrue();
      assertThat(launcher.log()).contains("platform started").contains("media stopped").contains("cms stopped");
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
