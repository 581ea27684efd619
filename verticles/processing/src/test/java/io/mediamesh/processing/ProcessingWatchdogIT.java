package io.mediamesh.processing;

import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.api.ProcessingApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.Http;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.ServiceHarness;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.TestMedia;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processing service with an FFmpeg that hangs (a script standing in for it that never reports progress): the
 * watchdog fails the job with its reason and the process is killed. And one whose FFmpeg is missing: its
 * {@code /ready} says so.
 */
@ExtendWith(InfraExtension.class)
class ProcessingWatchdogIT {

  @Test
  void aJobThatStopsMovingIsFailedByTheWatchdogAndItsProcessKilled(TestInfra infra, @TempDir Path work)
    throws Exception {
    Path hanging = work.resolve("ffmpeg-that-hangs");
    Files.writeString(hanging, "#!/bin/sh\n# stands for an FFmpeg stuck on a bad input: no output, no exit\nexec sleep 600\n");
    Files.setPosixFilePermissions(hanging, PosixFilePermissions.fromString("rwx------"));
    PlatformConfig config = infra.platformConfig(new JsonObject().put("services", new JsonObject()
      .put("processing", new JsonObject().put("ffmpegPath", hanging.toString()).put("stallSeconds", 2)
        .put("progressIntervalMs", 200).put("pollIntervalMs", 100).put("workDir", work.resolve("jobs").toString()))));
    try (ServiceHarness harness = ServiceHarness.start(config, List.of(io.mediamesh.cms.CmsModule::new,
      io.mediamesh.media.MediaModule::new, ProcessingModule::new), Clock.systemUTC())) {
      Caller editor = harness.caller(Role.EDITOR);
      String program = harness.<JsonObject>call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", "Stuck"), editor)
        .getString("id");
      Path clip = TestMedia.video(work, "clip.mp4", 320, 240, 4);
      HttpResponse<String> upload = Multipart.post("http://127.0.0.1:" + harness.platform().port("media")
          + MediaApi.UPLOAD_PATH, editor.token(), Map.of("contentId", program, "contentType", "PROGRAM"), "video/mp4",
        () -> new java.io.ByteArrayInputStream(TestMedia.bytes(clip)));
      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
      String mediaId = new JsonObject(upload.body()).getString("id");
      JsonObject job = Await.value("the job failed by the watchdog", Duration.ofSeconds(120), () -> {
        var items = harness.<JsonObject>call(ProcessingApi.JOBS_LIST, new JsonObject().put("mediaId", mediaId),
          editor).getJsonArray("items");
        return items.isEmpty() ? new JsonObject() : items.getJsonObject(0);
      }, j -> "FAILED".equals(j.getString("status")));
      assertThat(job.getString("error")).isEqualTo("stuck: no progress for 2 s");
      assertThat(job.getInteger("attempts")).as("a stuck job is not retried").isEqualTo(1);
      Await.until("the hung process killed", Duration.ofSeconds(60), () -> ProcessHandle.current().descendants()
        .noneMatch(p -> p.info().commandLine().orElse("").contains("sleep 600")));
    }
  }

  @Test
  void readinessSaysWhenFfmpegIsMissing(TestInfra infra, @TempDir Path work) {
    PlatformConfig config = infra.platformConfig(new JsonObject().put("services", new JsonObject()
      .put("processing", new JsonObject().put("ffmpegPath", work.resolve("no-ffmpeg-here").toString())
        .put("workDir", work.toString()))));
    try (ServiceHarness harness = ServiceHarness.start(config, List.of(ProcessingModule::new), Clock.systemUTC())) {
      Http.Reply ready = Http.ops("http://127.0.0.1:" + harness.platform().port("processing") + "/ready");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.body()).contains("ffmpeg not found").contains("apt-get install -y ffmpeg");
    }
  }
}
