package io.mediamesh.cmsgateway;

import io.mediamesh.gateway.testing.ContractClient;
import io.mediamesh.gateway.testing.ContractClient.Reply;
import io.mediamesh.gateway.testing.GatewayPlatform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An import from a URL through the cms gateway, with the real auth, cms and media services and a file served on
 * 127.0.0.1 (allowlisted for media): 202 with the import, followed to SUCCEEDED and a READY asset; the contract's
 * validation and the roles at the gateway. Every answer is validated against {@code openapi/cms-v1.yaml}.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CmsMediaImportIT {

  private static final String IMPORTS = "/api/v1/media/imports";

  private final Vertx vertx = Vertx.vertx();
  private final byte[] video = video();
  private HttpServer origin;
  private GatewayPlatform platform;
  private ContractClient cms;
  private String editor;
  private String user;

  @BeforeAll
  void start(TestInfra infra) {
    origin = Await.result(vertx.createHttpServer().requestHandler(r -> r.response().putHeader("ETag", "\"v1\"")
      .putHeader("Content-Type", "video/mp4").end(Buffer.buffer(video))).listen(0, "127.0.0.1"));
    JsonObject services = new JsonObject()
      .put("cms-gateway", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
      .put("media", new JsonObject().put("importAllowedHosts", "127.0.0.1").put("importPollIntervalMs", 100));
    platform = GatewayPlatform.start(infra, List.of("auth", "cms", "media", "cms-gateway"),
      new JsonObject().put("services", services));
    cms = platform.client(vertx, "cms-gateway");
    String admin = GatewayPlatform.loginAdmin(cms);
    editor = GatewayPlatform.createUser(cms, admin, "import-editor@mediamesh.test", "Edit0r-pass-1", "EDITOR");
    user = GatewayPlatform.createUser(cms, admin, "import-user@mediamesh.test", "Us3r-pass-12", "USER");
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
    vertx.close();
  }

  @Test
  void anImportThroughTheGatewayBecomesReadyMedia() throws Exception {
    String programId = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "Imported"))
      .json().getString("id");
    String url = "http://127.0.0.1:" + origin.actualPort() + "/trailer.mp4";
    Reply created = cms.post(IMPORTS, editor, new JsonObject().put("url", url).put("contentId", programId)
      .put("contentType", "PROGRAM").put("sha256", sha256(video)));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    assertThat(created.json().getString("status")).isEqualTo("QUEUED");
    String id = created.json().getString("id");

    JsonObject done = Await.value("the import ended", Duration.ofSeconds(60),
      () -> cms.get(IMPORTS + "/" + id, editor).json(),
      i -> Set.of("SUCCEEDED", "FAILED").contains(i.getString("status")));
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("SUCCEEDED");
    assertThat(done.getLong("bytes")).isEqualTo(video.length);
    Reply media = cms.get("/api/v1/media/" + done.getString("mediaId"), editor);
    assertThat(media.json().getString("status")).isEqualTo("READY");
    assertThat(media.json().getString("sha256")).isEqualTo(sha256(video));
  }

  @Test
  void theGatewayRefusesBadImportsAndCallersWithoutTheRole() {
    Reply bad = cms.post(IMPORTS, editor, new JsonObject().put("url", "ftp://example.org/a.mp4")
      .put("contentId", "0b8f1c1e-6d1c-4b8e-9a55-1f2d3c4b5a69").put("contentType", "PROGRAM"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("url");
    JsonObject ok = new JsonObject().put("url", "https://example.org/a.mp4")
      .put("contentId", "0b8f1c1e-6d1c-4b8e-9a55-1f2d3c4b5a69").put("contentType", "PROGRAM");
    assertThat(cms.post(IMPORTS, user, ok).status()).isEqualTo(403);
    assertThat(cms.post(IMPORTS, null, ok).status()).isEqualTo(401);
    Reply missing = cms.post(IMPORTS, editor, ok);
    assertThat(missing.status()).as("no such program").isEqualTo(422);
    assertThat(cms.get(IMPORTS + "/0b8f1c1e-6d1c-4b8e-9a55-1f2d3c4b5a69", editor).status()).isEqualTo(404);
    assertThat(cms.send("GET", IMPORTS + "/0b8f1c1e-6d1c-4b8e-9a55-1f2d3c4b5a69", user, null, Map.of()).status())
      .isEqualTo(403);
  }

  private static byte[] video() {
    try {
      return Multipart.generated(Multipart.mp4Header(), 300 * 1024).readAllBytes();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
