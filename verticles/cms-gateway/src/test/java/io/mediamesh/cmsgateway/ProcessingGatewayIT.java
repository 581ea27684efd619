package io.mediamesh.cmsgateway;

import io.mediamesh.gateway.testing.ContractClient;
import io.mediamesh.gateway.testing.ContractClient.Reply;
import io.mediamesh.gateway.testing.GatewayPlatform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.TestMedia;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processing through the cms gateway, with the real auth, cms, media and processing services and FFmpeg: an MP4
 * uploaded through the gateway becomes READY with its ladder, its progress arrives as Server-Sent Events, a frames
 * job runs, and every route checks roles at the gateway. Every answer is validated against the contract.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessingGatewayIT {

  static final Duration JOB = Duration.ofSeconds(240);

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private GatewayPlatform platform;
  private ContractClient cms;
  private String editor;
  private String user;

  @BeforeAll
  void start(TestInfra infra, @TempDir Path work) {
    platform = GatewayPlatform.start(infra, List.of("auth", "cms", "media", "processing", "cms-gateway"),
      new JsonObject().put("services", new JsonObject()
        .put("processing", new JsonObject().put("workDir", work.toString()).put("pollIntervalMs", 100)
          .put("progressIntervalMs", 200))));
    cms = platform.client(vertx, "cms-gateway");
    String admin = GatewayPlatform.loginAdmin(cms);
    editor = GatewayPlatform.createUser(cms, admin, "processing-editor@mediamesh.test", "Edit0r-pass-1", "EDITOR");
    user = GatewayPlatform.createUser(cms, admin, "processing-user@mediamesh.test", "Us3r-pass-123", "USER");
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
    vertx.close();
  }

  @Test
  void anUploadBecomesReadyAndItsProgressStreamsAsServerSentEvents(@TempDir Path files) throws Exception {
    String programId = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "Streams")).json()
      .getString("id");
    Path clip = TestMedia.video(files, "clip.mp4", 1280, 720, 20);
    HttpResponse<String> upload = Multipart.post(platform.url("cms-gateway") + "/api/v1/media/upload", editor,
      Map.of("contentId", programId, "contentType", "PROGRAM"), "video/mp4", () -> open(clip));
    Reply uploaded = ContractClient.reply(upload);
    cms.check("POST", "/api/v1/media/upload", uploaded);
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    String mediaId = uploaded.json().getString("id");

    String jobId = Await.value("the transcode job", JOB, () -> cms.get("/api/v1/processing/jobs?type=TRANSCODE&mediaId="
      + mediaId, editor).items(), items -> items.size() == 1).getJsonObject(0).getString("id");

    // the stream: the job at once, then as it changes, until it has finished (then the server ends the stream)
    HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(
        platform.url("cms-gateway") + "/api/v1/processing/jobs/" + jobId + "/events"))
      .header("Authorization", "Bearer " + editor).header("Accept", "text/event-stream").timeout(JOB).build(),
      HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    List<JsonObject> events = new ArrayList<>();
    try (var lines = stream.body()) {
      lines.filter(l -> l.startsWith("data: ")).forEach(l -> events.add(new JsonObject(l.substring(6))));
    }
    assertThat(events).isNotEmpty();
    assertThat(events.get(events.size() - 1).getString("status")).isEqualTo("SUCCEEDED");
    List<Double> running = events.stream().filter(e -> e.getString("status").equals("RUNNING"))
      .map(e -> e.getDouble("percent")).toList();
    assertThat(running).as("progress while it ran").isNotEmpty().isSorted();
    assertThat(events.stream().filter(e -> "RUNNING".equals(e.getString("status"))))
      .allSatisfy(e -> assertThat(e.getString("phase")).isIn("PROBING", "TRANSCODING", "PACKAGING", "UPLOADING"));

    Reply job = cms.get("/api/v1/processing/jobs/" + jobId, editor);
    assertThat(job.json().getJsonObject("output").getJsonArray("renditions")).hasSizeGreaterThanOrEqualTo(2);
    Reply media = Await.value("media READY", JOB, () -> cms.get("/api/v1/media/" + mediaId, editor),
      r -> "READY".equals(r.json().getJsonObject("playback").getString("status"))
        && r.json().getJsonObject("playback").getString("posterUrl") != null);
    assertThat(media.json().getJsonObject("playback").getJsonArray("renditions")).hasSize(4);

    // a frames job through the gateway
    Reply bad = cms.post("/api/v1/processing/frames", editor, new JsonObject().put("mediaId", mediaId));
    assertThat(bad.status()).isEqualTo(400);
    Reply frames = cms.post("/api/v1/processing/frames", editor, new JsonObject().put("mediaId", mediaId)
      .put("everySeconds", 5).put("format", "png"));
    assertThat(frames.status()).as(frames.body()).isEqualTo(202);
    Reply done = Await.value("frames done", JOB, () -> cms.get("/api/v1/processing/jobs/" + frames.json()
      .getString("id"), editor), r -> r.json().getString("status").equals("SUCCEEDED"));
    assertThat(done.json().getJsonObject("output").getInteger("frames")).isEqualTo(4);
    assertThat(cms.post("/api/v1/processing/jobs/" + jobId + "/cancel", editor, null).status()).isEqualTo(409);
  }

  @Test
  void everyProcessingRouteChecksRolesAtTheGateway() {
    String id = java.util.UUID.randomUUID().toString();
    for (String path : List.of("/api/v1/processing/jobs", "/api/v1/processing/jobs/" + id,
      "/api/v1/processing/jobs/" + id + "/events")) {
      assertThat(cms.get(path, null).status()).as("anonymous GET %s", path).isEqualTo(401);
      assertThat(cms.get(path, user).status()).as("USER GET %s", path).isEqualTo(403);
    }
    for (String path : List.of("/api/v1/processing/jobs/" + id + "/retry", "/api/v1/processing/jobs/" + id
      + "/cancel", "/api/v1/processing/frames")) {
      assertThat(cms.post(path, null, new JsonObject()).status()).as("anonymous POST %s", path).isEqualTo(401);
      assertThat(cms.post(path, user, new JsonObject()).status()).as("USER POST %s", path).isEqualTo(403);
    }
    assertThat(cms.get("/api/v1/processing/jobs/" + id, editor).status()).isEqualTo(404);
    assertThat(cms.get("/api/v1/processing/jobs/" + id + "/events", editor).status()).isEqualTo(404);
    assertThat(cms.get("/api/v1/processing/jobs/not-a-uuid", editor).status()).isEqualTo(400);
    assertThat(cms.get("/api/v1/processing/jobs?status=DONE", editor).status()).isEqualTo(400);
  }

  private static java.io.InputStream open(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
