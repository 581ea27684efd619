package io.mediamesh.launcher;

import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.auth.TokenConfig;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.config.ClusterConfig;
import io.mediamesh.common.runtime.VertxFactory;
import io.mediamesh.devstack.EmbeddedS3;
import io.mediamesh.devstack.FreePorts;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.Http;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.JavaProcess;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.SharedInfra;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the upload streams: a 200 MB file goes through the media service running in its own JVM with a 256 MB
 * heap. The test JVM joins the service's cluster only to answer the JWKS request, as the auth service would.
 */
@ExtendWith(InfraExtension.class)
class LargeUploadIT {

  static final long SIZE = 200L * 1024 * 1024;

  @Test
  void twoHundredMegabytesThroughA256MegabyteHeap(TestInfra infra, @TempDir Path work) throws Exception {
    Path objects = Files.createDirectories(work.resolve("objects"));
    EmbeddedS3 store = EmbeddedS3.start("127.0.0.1", 0, objects, "large-access", UUID.randomUUID().toString());
    int clusterPort = FreePorts.find("127.0.0.1");
    String clusterName = "large-" + UUID.randomUUID();
    Vertx node = Await.result(VertxFactory.create(new ClusterConfig(true, clusterName, "127.0.0.1", clusterPort,
      List.of("127.0.0.1")), VertxFactory.newRegistry()));
    TestTokens tokens = TestTokens.create(TokenConfig.from(SharedInfra.baseConfig()));
    Await.result(tokens.serveJwks(node));
    // the real CMS on the test's cluster node: media asks it, over the clustered bus, whether the episode exists
    io.mediamesh.common.config.PlatformConfig cmsConfig = infra.platformConfig(new JsonObject());
    Await.result(node.deployVerticle(new io.mediamesh.common.runtime.ServiceVerticle(new io.mediamesh.cms.CmsModule(),
      cmsConfig, VertxFactory.newRegistry())));
    io.mediamesh.common.bus.Caller editor = tokens.caller("editor-1", Role.EDITOR);
    io.mediamesh.common.bus.BusClient bus = new io.mediamesh.common.bus.BusClient(node, 10_000);
    JsonObject program = Await.result(bus.request(io.mediamesh.common.api.CmsApi.PROGRAM_CREATE,
      new JsonObject().put("title", "Large files"), editor));
    JsonObject episode = Await.result(bus.request(io.mediamesh.common.api.CmsApi.EPISODE_CREATE, new JsonObject()
      .put("programId", program.getString("id")).put("seasonNumber", 1).put("episodeNumber", 1)
      .put("title", "Two hundred megabytes"), editor));
    int port = FreePorts.find("127.0.0.1");
    Map<String, String> env = Map.ofEntries(
      Map.entry("MEDIAMESH_CLUSTER_NAME", clusterName),
      Map.entry("MEDIAMESH_CLUSTER_PORT", String.valueOf(clusterPort)),
      Map.entry("MEDIAMESH_KAFKA_BOOTSTRAP_SERVERS", infra.kafka().bootstrapServers()),
      Map.entry("MEDIAMESH_HTTP_HOST", "127.0.0.1"),
      Map.entry("MEDIAMESH_S3_ENDPOINT", store.endpoint()),
      Map.entry("MEDIAMESH_S3_ACCESS_KEY", store.accessKey()),
      Map.entry("MEDIAMESH_S3_SECRET_KEY", store.secretKey()),
      Map.entry("MEDIAMESH_SERVICES_MEDIA_DATABASE", infra.database("media_db")),
      Map.entry("MEDIAMESH_SERVICES_MEDIA_PORT", String.valueOf(port)));
    Path jar = Path.of(System.getProperty("mediamesh.verticles.dir")).resolve("media/target/media-fat.jar");
    try (JavaProcess media = JavaProcess.start(jar, List.of("-Xmx256m"), List.of(), env, work.resolve("run"),
      work.resolve("media.log"))) {
      Await.value("media ready", Duration.ofSeconds(120), () -> {
        assertThat(media.alive()).as("media alive; log:\n%s", media.log()).isTrue();
        return Http.get("http://127.0.0.1:" + port + "/ready");
      }, r -> r.status() == 200);

      long began = System.nanoTime();
      HttpResponse<String> r = Multipart.post("http://127.0.0.1:" + port + MediaApi.UPLOAD_PATH,
        editor.token(), Map.of("contentId", episode.getString("id"),
          "contentType", "EPISODE"), "video/mp4", () -> Multipart.generated(Multipart.mp4Header(), SIZE));
      double seconds = (System.nanoTime() - began) / 1e9;
      System.out.printf("200 MB upload through a -Xmx256m media JVM: %.1f s (%.0f MB/s)%n", seconds, 200 / seconds);
      assertThat(r.statusCode()).as("%s%nlog:%n%s", r.body(), media.log()).isEqualTo(201);
      JsonObject asset = new JsonObject(r.body());
      assertThat(asset.getLong("sizeBytes")).isEqualTo(SIZE);
      assertThat(asset.getString("kind")).isEqualTo("VIDEO");
      assertThat(media.alive()).isTrue();
      assertThat(media.log()).doesNotContain("OutOfMemoryError");
      long stored;
      try (var files = Files.walk(objects)) {
        stored = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).max().orElse(0);
      }
      assertThat(stored).as("the object in storage").isEqualTo(SIZE);
      assertThat(media.terminate(60)).isIn(0, 143);
    } finally {
      store.stop();
      Await.result(node.close());
    }
  }
}
