package io.mediamesh.launcher;

import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.api.ProcessingApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.devstack.FreePorts;
import io.mediamesh.processing.ProcessingModule;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.Http;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.JavaProcess;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.ServiceHarness;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.TestMedia;
import io.mediamesh.testkit.TopicReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transcode whose processing instance is killed (SIGKILL, its own JVM) in the middle of the ladder is taken over by
 * a second instance on the same database once the lease lapses: it completes exactly once, and nothing the dead
 * instance stored is left behind (every object under the asset's HLS prefix is one the final playlists name).
 */
@ExtendWith(InfraExtension.class)
class ProcessingFailoverIT {

  static final Duration JOB = Duration.ofSeconds(300);

  @Test
  void aJobWhoseInstanceIsKilledMidTranscodeCompletesOnce(TestInfra infra, @TempDir Path work) throws Exception {
    PlatformConfig config = infra.platformConfig(new JsonObject().put("services", new JsonObject()
      .put("media", new JsonObject().put("maxVideoBytes", 256L << 20).put("partSizeBytes", 5 * 1024 * 1024))
      .put("processing", new JsonObject().put("leaseSeconds", 3).put("pollIntervalMs", 100)
        .put("progressIntervalMs", 200).put("workDir", work.resolve("jobs").toString()))));
    String processingDb = config.raw().getJsonObject("services").getJsonObject("processing").getString("database");
    infra.database("processing_db"); // created now, dropped with the class's databases
    Path clip = TestMedia.video(work, "long.mp4", 1280, 720, 40);

    try (ServiceHarness platform = ServiceHarness.start(config, List.of(io.mediamesh.cms.CmsModule::new,
      io.mediamesh.media.MediaModule::new), Clock.systemUTC());
         TopicReader events = new TopicReader(infra.kafka().bootstrapServers(), Topics.PROCESSING);
         S3Client s3 = io.mediamesh.testkit.TestS3.client(config.s3())) {
      int port = FreePorts.find("127.0.0.1");
      Map<String, String> env = Map.ofEntries(
        Map.entry("MEDIAMESH_KAFKA_BOOTSTRAP_SERVERS", infra.kafka().bootstrapServers()),
        Map.entry("MEDIAMESH_HTTP_HOST", "127.0.0.1"),
        Map.entry("MEDIAMESH_S3_ENDPOINT", config.s3().endpoint()),
        Map.entry("MEDIAMESH_S3_ACCESS_KEY", config.s3().accessKey()),
        Map.entry("MEDIAMESH_S3_SECRET_KEY", config.s3().secretKey()),
        Map.entry("MEDIAMESH_S3_BUCKET", config.s3().bucket()),
        Map.entry("MEDIAMESH_SERVICES_PROCESSING_DATABASE", processingDb),
        Map.entry("MEDIAMESH_SERVICES_PROCESSING_PORT", String.valueOf(port)),
        Map.entry("MEDIAMESH_SERVICES_PROCESSING_LEASE_SECONDS", "3"),
        Map.entry("MEDIAMESH_SERVICES_PROCESSING_PROGRESS_INTERVAL_MS", "200"),
        Map.entry("MEDIAMESH_SERVICES_PROCESSING_WORK_DIR", work.resolve("jobs").toString()));
      Path jar = Path.of(System.getProperty("mediamesh.verticles.dir")).resolve("processing/target/processing-fat.jar");
      Caller editor = platform.caller(Role.EDITOR);
      String jobId;
      try (JavaProcess first = JavaProcess.start(jar, List.of("-Xmx256m"), List.of(), env, work.resolve("run"),
        work.resolve("processing-a.log"))) {
        Await.value("the first processing instance ready", Duration.ofSeconds(120), () -> {
          assertThat(first.alive()).as("instance A alive; log:\n%s", first.log()).isTrue();
          return Http.get("http://127.0.0.1:" + port + "/ready");
        }, r -> r.status() == 200);
        String programId = platform.<JsonObject>call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title",
          "Failover"), editor).getString("id");
        HttpResponse<String> upload = Multipart.post("http://127.0.0.1:" + platform.platform().port("media")
            + MediaApi.UPLOAD_PATH, editor.token(), Map.of("contentId", programId, "contentType", "PROGRAM"),
          "video/mp4", () -> open(clip));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        String mediaId = new JsonObject(upload.body()).getString("id");
        // the job is A's (the only instance): wait until it is well into the ladder, then kill A without warning
        EventEnvelope rung = Await.value("A published a rung", JOB, () -> events.poll().stream()
          .map(r -> EventEnvelope.decode(Buffer.buffer(r.value())))
          .filter(e -> e.type().equals("processing.progressed") && e.data().getString("mediaId").equals(mediaId))
          .findFirst(), java.util.Optional::isPresent).orElseThrow();
        jobId = rung.subject();
        first.kill();
        assertThat(first.log()).contains("job " + jobId);
      }
      Await.until("A's FFmpeg gone", JOB, () -> ProcessHandle.allProcesses().noneMatch(p ->
        p.info().commandLine().orElse("").contains(work.resolve("jobs").toString())));
      List<Path> leftByA = folders(work.resolve("jobs"));
      assertThat(leftByA).as("A's folder, left behind by the kill").hasSize(1);

      // B, on the same database: it recovers the job once A's lease lapses and runs it again from the start
      try (ServiceHarness second = ServiceHarness.start(config, List.of(ProcessingModule::new), Clock.systemUTC(),
        platform.tokens())) {
        String id = jobId;
        JsonObject job = Await.value("the job finished on B", JOB, () -> second.<JsonObject>call(
            ProcessingApi.JOBS_GET, new JsonObject().put("id", id), editor),
          j -> List.of("SUCCEEDED", "FAILED", "CANCELED").contains(j.getString("status")));
        assertThat(job.getString("status")).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.getInteger("attempts")).isEqualTo(2);
        assertThat(job.getJsonObject("output").getJsonArray("renditions")).hasSize(4);

        List<EventEnvelope> ofJob = events.afterOutbox(second.platform(), "processing", JOB).stream()
          .map(r -> EventEnvelope.decode(Buffer.buffer(r.value()))).filter(e -> e.subject().equals(id)).toList();
        assertThat(ofJob.stream().filter(e -> e.type().equals("processing.completed"))).hasSize(1);
        assertThat(ofJob.stream().filter(e -> e.type().equals("processing.started"))).hasSize(2);

        // no orphans: what is stored under the prefix is exactly what the final playlists, poster and storyboard name
        String prefix = "media/" + job.getString("mediaId") + "/hls/";
        Set<String> stored = new HashSet<>(s3.listObjectsV2(b -> b.bucket(config.s3().bucket()).prefix(prefix))
          .contents().stream().map(S3Object::key).toList());
        Set<String> named = new HashSet<>(Set.of(prefix + "master.m3u8", prefix + "poster.jpg",
          prefix + "storyboard.jpg", prefix + "storyboard.vtt"));
        job.getJsonObject("output").getJsonArray("renditions").forEach(o -> {
          String rung = ((JsonObject) o).getString("name");
          named.add(prefix + rung + "/index.m3u8");
          String playlist = new String(s3.getObjectAsBytes(b -> b.bucket(config.s3().bucket())
            .key(prefix + rung + "/index.m3u8")).asByteArray(), StandardCharsets.UTF_8);
          playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(s -> named.add(prefix + rung + "/" + s));
        });
        assertThat(stored).isEqualTo(named);
        // B removed the folder A left (its lock died with A): only B's own remains
        assertThat(folders(work.resolve("jobs"))).hasSize(1).doesNotContainAnyElementsOf(leftByA);
      }
    }
  }

  private static List<Path> folders(Path root) throws IOException {
    try (var s = Files.list(root)) {
      return s.filter(Files::isDirectory).toList();
    }
  }

  private static java.io.InputStream open(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
