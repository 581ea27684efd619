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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two service fat jars started as two JVMs form a Hazelcast cluster on loopback: the cms-gateway's readiness asks
 * the cms service over the clustered event bus, and gets its answer from the other JVM.
 */
@ExtendWith(InfraExtension.class)
class ClusterJarsIT {

  @Test
  void twoServiceJarsFormAClusterAndTalk(TestInfra infra, @TempDir Path work) {
    Path verticles = Path.of(System.getProperty("mediamesh.verticles.dir"));
    int clusterPort = FreePorts.find("127.0.0.1");
    int gatewayPort = FreePorts.find("127.0.0.1");
    int cmsPort = FreePorts.find("127.0.0.1");
    Map<String, String> common = Map.of(
      "MEDIAMESH_CLUSTER_NAME", "jars-" + UUID.randomUUID(),
      "MEDIAMESH_CLUSTER_PORT", String.valueOf(clusterPort),
      "MEDIAMESH_KAFKA_BOOTSTRAP_SERVERS", infra.kafka().bootstrapServers(),
      "MEDIAMESH_REDIS_CONNECTION_STRING", infra.redisConnectionString(),
      "MEDIAMESH_HTTP_HOST", "127.0.0.1",
      "MEDIAMESH_SERVICES_CMS_DATABASE", infra.database("cms_db"),
      "MEDIAMESH_SERVICES_CMS_PORT", String.valueOf(cmsPort),
      "MEDIAMESH_SERVICES_CMS_GATEWAY_PORT", String.valueOf(gatewayPort));
    try (JavaProcess cms = JavaProcess.start(verticles.resolve("cms/target/cms-fat.jar"), List.of(), common,
           work.resolve("cms"), work.resolve("cms.log"));
         JavaProcess gateway = JavaProcess.start(verticles.resolve("cms-gateway/target/cms-gateway-fat.jar"),
           List.of(), common, work.resolve("gw"), work.resolve("gateway.log"))) {
      Http.Reply ready = Await.value("cms answers the gateway across JVMs", Duration.ofSeconds(120), () -> {
        assertThat(cms.alive()).as("cms alive; log:\n%s", cms.log()).isTrue();
        assertThat(gateway.alive()).as("gateway alive; log:\n%s", gateway.log()).isTrue();
        return Http.ops("http://127.0.0.1:" + gatewayPort + "/ready");
      }, r -> r.status() > 0 && check(r.json(), "service:cms").equals("UP"));
      // the other downstream services are not running anywhere: they are reported down, so the gateway is not ready
      assertThat(ready.status()).isEqualTo(503);
      assertThat(check(ready.json(), "service:auth")).isEqualTo("DOWN");
      assertThat(check(ready.json(), "redis")).isEqualTo("UP");
      assertThat(cms.pid()).isNotEqualTo(gateway.pid());

      // and when the cms JVM goes away, the gateway sees it
      assertThat(cms.terminate(60)).isIn(0, 143);
      Await.until("cms reported down after it stopped", Duration.ofSeconds(60),
        () -> check(Http.ops("http://127.0.0.1:" + gatewayPort + "/ready").json(), "service:cms").equals("DOWN"));
      assertThat(gateway.terminate(60)).isIn(0, 143);
    }
  }

  private static String check(JsonObject health, String id) {
    return health.getJsonArray("checks").stream().map(c -> (JsonObject) c)
      .filter(c -> id.equals(c.getString("id"))).map(c -> c.getString("status")).findFirst().orElse("MISSING");
  }
}
