package io.mediamesh.cmsgateway;

import io.mediamesh.gateway.testing.ContractClient;
import io.mediamesh.gateway.testing.ContractClient.Reply;
import io.mediamesh.gateway.testing.GatewayPlatform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tus uploads through the cms gateway, end to end with the real auth, cms and media services: the gateway streams
 * every method to the media service with the tus headers both ways and its own upload URLs, checks the roles first,
 * and holds a PATCH to its size limit. Every answer is validated against {@code openapi/cms-v1.yaml}.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CmsTusIT {

  private static final int PART = 5 * 1024 * 1024;
  private static final int MAX_PATCH = 6 * 1024 * 1024;
  private static final String TUS = "/api/v1/media/tus/";

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();
  private GatewayPlatform platform;
  private ContractClient cms;
  private String editor;
  private String user;

  @BeforeAll
  void start(TestInfra infra) {
    JsonObject services = new JsonObject()
      .put("cms-gateway", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("tusMaxPatchBytes", MAX_PATCH))
      .put("media", new JsonObject().put("partSizeBytes", PART));
    platform = GatewayPlatform.start(infra, List.of("auth", "cms", "media", "cms-gateway"),
      new JsonObject().put("services", services));
    cms = platform.client(vertx, "cms-gateway");
    String admin = GatewayPlatform.loginAdmin(cms);
    editor = GatewayPlatform.createUser(cms, admin, "tus-editor@mediamesh.test", "Edit0r-pass-1", "EDITOR");
    user = GatewayPlatform.createUser(cms, admin, "tus-user@mediamesh.test", "Us3r-pass-12", "USER");
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
    vertx.close();
  }

  @Test
  void aTusUploadThroughTheGatewayBecomesReadyMedia() throws Exception {
    Reply options = send("OPTIONS", TUS, null, Map.of(), null);
    assertThat(options.status()).isEqualTo(204);
    assertThat(options.header("Tus-Version")).isEqualTo("1.0.0");
    assertThat(options.header("Tus-Extension")).contains("creation").contains("checksum");

    byte[] video = Multipart.generated(Multipart.mp4Header(), PART + 4 * 1024 * 1024).readAllBytes();
    String programId = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "Resumed"))
      .json().getString("id");
    Reply created = create(editor, video.length, programId);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("Tus-Resumable")).isEqualTo("1.0.0");
    assertThat(created.header("Upload-Expires")).isNotBlank();
    String location = created.header("Location");
    assertThat(location).as("the gateway's own URL").startsWith(TUS);
    String id = location.substring(TUS.length());

    // a PATCH longer than the gateway takes is refused before a byte goes on, and changes nothing
    Reply tooLong = patch(location, editor, 0, Arrays.copyOf(video, MAX_PATCH + 1), Map.of());
    assertThat(tooLong.status()).isEqualTo(413);
    assertThat(offset(location)).isEqualTo(0);

    int first = 1024 * 1024;
    Reply patched = patch(location, editor, 0, Arrays.copyOf(video, first), Map.of("Upload-Checksum",
      "sha256 " + Base64.getEncoder().encodeToString(digest(Arrays.copyOf(video, first)))));
    assertThat(patched.status()).as(patched.body()).isEqualTo(204);
    assertThat(patched.header("Upload-Offset")).isEqualTo(String.valueOf(first));
    Reply head = send("HEAD", location, editor, Map.of(), null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Upload-Offset")).isEqualTo(String.valueOf(first));
    assertThat(head.header("Upload-Length")).isEqualTo(String.valueOf(video.length));
    assertThat(head.header("Upload-Metadata")).contains("contentId ");
    assertThat(head.header("Cache-Control")).isEqualTo("no-store");
    Reply stale = patch(location, editor, 0, Arrays.copyOf(video, 10), Map.of());
    assertThat(stale.status()).isEqualTo(409);

    // a chunked body is cut off at the limit as it streams (the media service keeps what came before, as for
    // any PATCH cut short): the client learns where to go on with HEAD
    Reply cut = chunkedPatch(location, editor, first, Arrays.copyOfRange(video, first, video.length));
    assertThat(cut.status()).isEqualTo(413);
    assertThat(cut.json().getJsonObject("error").getString("message")).contains(String.valueOf(MAX_PATCH));
    uploadTheRest(location, video);

    Reply media = cms.get("/api/v1/media/" + id, editor);
    assertThat(media.status()).isEqualTo(200);
    assertThat(media.json().getString("status")).isEqualTo("READY");
    assertThat(media.json().getLong("sizeBytes")).isEqualTo(video.length);
    assertThat(media.json().getString("sha256")).isEqualTo(HexFormat.of().formatHex(digest(video)));
    assertThat(offset(location)).isEqualTo(video.length);
  }

  @Test
  void rolesAreCheckedAtTheGateway() throws Exception {
    String programId = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "Not theirs"))
      .json().getString("id");
    Reply anonymous = create(null, 1000, programId);
    assertThat(anonymous.status()).isEqualTo(401);
    Reply asUser = create(user, 1000, programId);
    assertThat(asUser.status()).isEqualTo(403);
    assertThat(asUser.errorCode()).isEqualTo("forbidden");
    String location = create(editor, 1000, programId).header("Location");
    assertThat(send("HEAD", location, user, Map.of(), null).status()).isEqualTo(403);
    assertThat(patch(location, null, 0, new byte[10], Map.of()).status()).isEqualTo(401);
    assertThat(send("DELETE", location, user, Map.of(), null).status()).isEqualTo(403);
    Reply terminated = send("DELETE", location, editor, Map.of(), null);
    assertThat(terminated.status()).isEqualTo(204);
    assertThat(send("HEAD", location, editor, Map.of(), null).status()).isEqualTo(404);
  }

  /** What a tus client does after an error: HEAD, then PATCH the rest from there (again while held or moved on). */
  private void uploadTheRest(String location, byte[] bytes) {
    Await.until("the rest uploaded", Duration.ofSeconds(30), () -> {
      long at = offset(location);
      if (at == bytes.length) {
        return true;
      }
      Reply r = patch(location, editor, at, Arrays.copyOfRange(bytes, (int) at,
        (int) Math.min(bytes.length, at + MAX_PATCH)), Map.of());
      assertThat(r.status()).as(r.body()).isIn(204, 409, 423);
      return false;
    });
  }

  private long offset(String location) {
    Reply head = send("HEAD", location, editor, Map.of(), null);
    assertThat(head.status()).isEqualTo(200);
    return Long.parseLong(head.header("Upload-Offset"));
  }

  private Reply create(String token, long length, String programId) {
    String metadata = "contentId " + b64(programId) + ",contentType " + b64("PROGRAM") + ",filetype "
      + b64("video/mp4");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Upload-Length", String.valueOf(length));
    headers.put("Upload-Metadata", metadata);
    return send("POST", TUS, token, headers, null);
  }

  private Reply patch(String location, String token, long offset, byte[] body, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("Upload-Offset", String.valueOf(offset));
    headers.put("Content-Type", "application/offset+octet-stream");
    return send("PATCH", location, token, headers, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private Reply chunkedPatch(String location, String token, long offset, byte[] body) {
    return send("PATCH", location, token, Map.of("Upload-Offset", String.valueOf(offset),
      "Content-Type", "application/offset+octet-stream"), HttpRequest.BodyPublishers.ofInputStream(
      () -> new ByteArrayInputStream(body)));
  }

  /** A tus request through the gateway, its answer checked against the contract. */
  private Reply send(String method, String path, String token, Map<String, String> headers,
                     HttpRequest.BodyPublisher body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.url("cms-gateway") + path))
      .timeout(Duration.ofSeconds(60))
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
    if (!method.equals("OPTIONS")) {
      request.header("Tus-Resumable", "1.0.0");
    }
    headers.forEach(request::header);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      Reply reply = ContractClient.reply(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
      cms.check(method, path, reply);
      return reply;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] digest(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
