package io.mediamesh.processing;

import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.api.ProcessingApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.Http;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.ServiceHarness;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.TestMedia;
import io.mediamesh.testkit.TopicReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processing service with the real CMS and media services, PostgreSQL, Kafka, the in-process S3 store and
 * FFmpeg: uploads become HLS ladders whose every segment decodes, audio an AAC ladder, a corrupt file a failed job
 * with its reason, a cancel kills FFmpeg and leaves no object, a frames job a ZIP of the right images.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessingServiceIT {

  /** Generous for a machine three times slower than a laptop: FFmpeg does real work here. */
  static final Duration JOB = Duration.ofSeconds(240);

  private final HttpClient http = HttpClient.newHttpClient();
  private ServiceHarness harness;
  private Caller editor;
  private S3Client s3;
  private String bucket;
  private String uploadUrl;
  private TopicReader processingEvents;
  private TopicReader mediaEvents;
  @TempDir
  Path files;

  @BeforeAll
  void start(TestInfra infra, @TempDir Path work) {
    PlatformConfig config = infra.platformConfig(new JsonObject().put("services", new JsonObject()
      .put("media", new JsonObject().put("maxVideoBytes", 256L << 20).put("partSizeBytes", 5 * 1024 * 1024))
      .put("processing", new JsonObject().put("concurrency", 2).put("workDir", work.toString())
        .put("pollIntervalMs", 100).put("progressIntervalMs", 200).put("initialBackoffMs", 100))));
    harness = ServiceHarness.start(config, List.of(io.mediamesh.cms.CmsModule::new,
      io.mediamesh.media.MediaModule::new, ProcessingModule::new), Clock.systemUTC());
    editor = harness.caller(Role.EDITOR);
    bucket = config.s3().bucket();
    s3 = io.mediamesh.testkit.TestS3.client(config.s3());
    uploadUrl = "http://127.0.0.1:" + harness.platform().port("media") + MediaApi.UPLOAD_PATH;
    processingEvents = new TopicReader(infra.kafka().bootstrapServers(), Topics.PROCESSING);
    mediaEvents = new TopicReader(infra.kafka().bootstrapServers(), Topics.MEDIA);
  }

  @AfterAll
  void stop() {
    processingEvents.close();
    mediaEvents.close();
    s3.close();
    harness.close();
  }

  @Test
  void anUploadedVideoBecomesAnHlsLadderWhoseEverySegmentDecodes() throws Exception {
    JsonObject asset = upload(TestMedia.video(files, "clip.mp4", 640, 360, 10), "video/mp4");
    assertThat(asset.getJsonObject("playback").getString("status")).isEqualTo("PENDING");
    JsonObject job = awaitFinished(transcodeOf(asset));
    assertThat(job.getString("status")).as("job %s", job).isEqualTo("SUCCEEDED");
    assertThat(job.getDouble("percent")).isEqualTo(100.0);
    JsonObject output = job.getJsonObject("output");
    List<JsonObject> renditions = objects(output.getJsonArray("renditions"));
    assertThat(renditions).extracting(r -> r.getString("name")).containsExactly("v240", "v360");
    // the source is H.264 at 360p with a key frame every 2 s: that rung is copied, the other encoded
    assertThat(renditions).extracting(r -> r.getBoolean("copied")).containsExactly(false, true);
    assertThat(renditions).extracting(r -> r.getInteger("width")).containsExactly(426, 640);

    String prefix = "media/" + asset.getString("id") + "/hls/";
    String master = text(prefix + "master.m3u8");
    assertThat(master).startsWith("#EXTM3U").contains("RESOLUTION=426x240", "RESOLUTION=640x360",
      "v240/index.m3u8", "v360/index.m3u8", "CODECS=\"avc1.");
    assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF"))).hasSize(2)
      .allSatisfy(l -> assertThat(l).contains("mp4a.40.2"));
    for (JsonObject r : renditions) {
      List<String> segments = segments(text(prefix + r.getString("playlist")));
      assertThat(segments).as("segments of %s", r.getString("name")).hasSizeBetween(2, 3);
      for (String segment : segments) {
        Path local = download(prefix + r.getString("name") + "/" + segment);
        assertThat(TestMedia.decodeErrors(local)).as("decoding %s/%s", r.getString("name"), segment).isEmpty();
      }
    }
    // the encoded rung has a key frame every 2 s
    Path first = download(prefix + "v240/seg_00000.ts");
    List<Double> keys = TestMedia.run("ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
        "-show_entries", "frame=pts_time", "-of", "csv=p=0", first.toString()).lines()
      .map(l -> l.replace(",", "").strip()).filter(l -> !l.isEmpty()).map(Double::parseDouble).toList();
    assertThat(keys).hasSizeGreaterThanOrEqualTo(3);
    for (int i = 1; i < keys.size(); i++) {
      assertThat(keys.get(i) - keys.get(i - 1)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.05));
    }

    // poster, storyboard sprite and its map
    assertThat(ImageIO.read(new ByteArrayInputStream(bytes(output.getString("poster")))).getHeight()).isEqualTo(360);
    JsonObject board = output.getJsonObject("storyboard");
    var sprite = ImageIO.read(new ByteArrayInputStream(bytes(board.getString("image"))));
    assertThat(sprite.getWidth()).isEqualTo(board.getInteger("columns") * board.getInteger("tileWidth"));
    assertThat(board.getInteger("count")).isEqualTo(5);
    String vtt = text(board.getString("vtt"));
    assertThat(vtt).startsWith("WEBVTT").contains("00:00:08.000 --> 00:00:10.000", "storyboard.jpg#xywh=640,0,160,90");
    assertThat(vtt.lines().filter(l -> l.contains(" --> "))).hasSize(5);

    // media shows it playable, with URLs
    JsonObject media = harness.call(MediaApi.GET, new JsonObject().put("id", asset.getString("id")), editor);
    JsonObject playback = media.getJsonObject("playback");
    assertThat(playback.getString("status")).isEqualTo("READY");
    assertThat(playback.getJsonArray("renditions")).hasSize(2);
    assertThat(playback.getString("posterUrl")).contains(prefix + "poster.jpg");
    assertThat(playback.getJsonObject("storyboard").getString("vttUrl")).contains("storyboard.vtt");
    assertThat(media.getInteger("durationSeconds")).isEqualTo(10);

    // events: started, each rung published as it was ready (the first alone, while the job still ran), completed
    List<EventEnvelope> events = eventsOf(job.getString("id"), "processing.completed");
    assertThat(events).extracting(EventEnvelope::type).containsSubsequence("processing.started",
      "processing.progressed", "processing.progressed", "processing.completed");
    EventEnvelope firstRung = events.stream().filter(e -> e.type().equals("processing.progressed")).findFirst()
      .orElseThrow();
    assertThat(firstRung.data().getString("status")).isEqualTo("RUNNING");
    assertThat(firstRung.data().getJsonObject("output").getJsonArray("renditions")).hasSize(1);
    Await.until("media.playback READY", JOB, () -> mediaEvents.poll().stream().map(ProcessingServiceIT::envelope)
      .anyMatch(e -> e.type().equals("media.playback") && e.subject().equals(asset.getString("id"))
        && e.data().getJsonObject("playback").getString("status").equals("READY")
        // the asset's whole snapshot, a version on: the read models that project media.* take it as any other
        && e.data().getString("status").equals("READY") && e.data().getInteger("version") > 1
        && e.data().getString("createdAt") != null));
  }

  @Test
  void anAudioFileBecomesAnAacLadder() throws Exception {
    JsonObject asset = upload(TestMedia.mp3(files, "tone.mp3", 10, 192), "audio/mpeg");
    JsonObject job = awaitFinished(transcodeOf(asset));
    assertThat(job.getString("status")).as("job %s", job).isEqualTo("SUCCEEDED");
    List<JsonObject> renditions = objects(job.getJsonObject("output").getJsonArray("renditions"));
    assertThat(renditions).extracting(r -> r.getString("name")).containsExactly("a64", "a128", "a192");
    assertThat(renditions).allSatisfy(r -> assertThat(r.getString("codecs")).isEqualTo("mp4a.40.2"));
    String prefix = "media/" + asset.getString("id") + "/hls/";
    String master = text(prefix + "master.m3u8");
    assertThat(master).doesNotContain("RESOLUTION").contains("a64/index.m3u8", "a192/index.m3u8");
    for (JsonObject r : renditions) {
      for (String segment : segments(text(prefix + r.getString("playlist")))) {
        Path local = download(prefix + r.getString("name") + "/" + segment);
        assertThat(TestMedia.decodeErrors(local)).isEmpty();
        assertThat(TestMedia.run("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of",
          "csv=p=0", local.toString()).lines().filter(l -> !l.isBlank()).distinct()).containsExactly("aac,audio");
      }
    }
    assertThat(job.getJsonObject("output").getString("poster")).isNull();
    JsonObject media = harness.call(MediaApi.GET, new JsonObject().put("id", asset.getString("id")), editor);
    assertThat(media.getJsonObject("playback").getString("status")).isEqualTo("READY");
  }

  @Test
  void aCorruptVideoFailsWithItsReasonAndARetryFailsAlike() throws Exception {
    byte[] header = Multipart.mp4Header();
    byte[] junk = new byte[200_000];
    new Random(7).nextBytes(junk);
    byte[] file = new byte[header.length + junk.length];
    System.arraycopy(header, 0, file, 0, header.length);
    System.arraycopy(junk, 0, file, header.length, junk.length);
    Path corrupt = Files.write(files.resolve("corrupt.mp4"), file);
    JsonObject asset = upload(corrupt, "video/mp4");
    JsonObject job = awaitFinished(transcodeOf(asset));
    assertThat(job.getString("status")).isEqualTo("FAILED");
    assertThat(job.getInteger("attempts")).as("a file FFmpeg cannot read is not retried").isEqualTo(1);
    assertThat(job.getString("error")).startsWith("the file cannot be read as audio or video");
    Await.until("media shows the failure", JOB, () -> "FAILED".equals(harness.<JsonObject>call(MediaApi.GET,
      new JsonObject().put("id", asset.getString("id")), editor).getJsonObject("playback").getString("status")));
    JsonObject media = harness.call(MediaApi.GET, new JsonObject().put("id", asset.getString("id")), editor);
    assertThat(media.getJsonObject("playback").getString("error")).isEqualTo(job.getString("error"));

    JsonObject retried = harness.call(ProcessingApi.JOBS_RETRY, new JsonObject().put("id", job.getString("id")),
      editor);
    assertThat(retried.getString("status")).isIn("QUEUED", "RUNNING", "FAILED");
    JsonObject again = awaitFinished(retried.getString("id"));
    assertThat(again.getString("status")).isEqualTo("FAILED");
    assertThat(again.getInteger("attempts")).isEqualTo(1);
    assertThat(harness.refused(ProcessingApi.JOBS_CANCEL, new JsonObject().put("id", job.getString("id")), editor)
      .code()).isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  void cancelKillsFfmpegAndLeavesNoObjects() throws Exception {
    JsonObject asset = upload(TestMedia.video(files, "long.mp4", 1280, 720, 40), "video/mp4");
    String jobId = transcodeOf(asset);
    String prefix = "media/" + asset.getString("id") + "/hls/";
    // cancel once the first rung is in storage, while higher ones are being encoded
    Await.until("the first rung published", JOB, () -> !keys(prefix).isEmpty()
      && "RUNNING".equals(job(jobId).getString("status")));
    JsonObject canceled = harness.call(ProcessingApi.JOBS_CANCEL, new JsonObject().put("id", jobId), editor);
    assertThat(canceled.getString("status")).isEqualTo("CANCELED");
    assertThat(canceled.getString("error")).isEqualTo("canceled by " + editor.userId());
    Await.until("FFmpeg stopped", JOB, () -> ProcessHandle.current().descendants()
      .noneMatch(p -> p.info().command().orElse("").endsWith("ffmpeg")));
    Await.until("no objects left under " + prefix, JOB, () -> keys(prefix).isEmpty());
    assertThat(job(jobId).getString("status")).isEqualTo("CANCELED");
    Await.until("media shows the cancel", JOB, () -> "FAILED".equals(harness.<JsonObject>call(MediaApi.GET,
      new JsonObject().put("id", asset.getString("id")), editor).getJsonObject("playback").getString("status")));
    assertThat(harness.refused(ProcessingApi.JOBS_CANCEL, new JsonObject().put("id", jobId), editor).code())
      .isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  void aFramesJobZipsOneImageEveryNSeconds() throws Exception {
    JsonObject asset = upload(TestMedia.video(files, "frames.mp4", 640, 360, 10), "video/mp4");
    JsonObject queued = harness.call(ProcessingApi.FRAMES_CREATE, new JsonObject().put("mediaId", asset.getString("id"))
      .put("everySeconds", 2).put("width", 320), editor);
    assertThat(queued.getString("type")).isEqualTo("FRAMES");
    assertThat(queued.getString("createdBy")).isEqualTo(editor.userId());
    JsonObject job = awaitFinished(queued.getString("id"));
    assertThat(job.getString("status")).as("job %s", job).isEqualTo("SUCCEEDED");
    JsonObject output = job.getJsonObject("output");
    assertThat(output.getInteger("frames")).isEqualTo(5);
    assertThat(Instant.parse(output.getString("expiresAt"))).isAfter(Instant.now().plus(Duration.ofDays(6)));
    HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create(output.getString("zipUrl"))).build(),
      HttpResponse.BodyHandlers.ofByteArray());
    assertThat(zip.statusCode()).isEqualTo(200);
    assertThat((long) zip.body().length).isEqualTo(output.getLong("bytes"));
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        names.add(entry.getName());
        var image = ImageIO.read(new ByteArrayInputStream(in.readAllBytes()));
        assertThat(image.getWidth()).as(entry.getName()).isEqualTo(320);
      }
    }
    assertThat(names).containsExactly("frame_000001.jpg", "frame_000002.jpg", "frame_000003.jpg",
      "frame_000004.jpg", "frame_000005.jpg");
    JsonObject mine = harness.call(ProcessingApi.JOBS_LIST, new JsonObject().put("mine", true).put("type", "FRAMES"),
      editor);
    assertThat(objects(mine.getJsonArray("items"))).extracting(j -> j.getString("id")).contains(job.getString("id"));
  }

  @Test
  void requestsAreCheckedAndRolesEnforced() throws Exception {
    JsonObject audio = upload(TestMedia.mp3(files, "short.mp3", 2, 64), "audio/mpeg");
    String id = audio.getString("id");
    var both = harness.refused(ProcessingApi.FRAMES_CREATE, new JsonObject().put("mediaId", id).put("everySeconds", 1)
      .put("fps", 1).put("format", "gif"), editor);
    assertThat(both.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(both.details().getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("everySeconds", "format");
    assertThat(harness.refused(ProcessingApi.FRAMES_CREATE, new JsonObject().put("mediaId", id).put("fps", 31), editor)
      .details().getJsonObject("fields").fieldNames()).containsExactly("fps");
    assertThat(harness.refused(ProcessingApi.FRAMES_CREATE, new JsonObject().put("mediaId", id).put("fps", 1), editor)
      .code()).as("frames of an audio file").isEqualTo(ErrorCode.CONFLICT);
    assertThat(harness.refused(ProcessingApi.FRAMES_CREATE, new JsonObject().put("mediaId", UUID.randomUUID()
      .toString()).put("fps", 1), editor).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(harness.refused(ProcessingApi.JOBS_GET, new JsonObject().put("id", UUID.randomUUID().toString()),
      editor).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(harness.refused(ProcessingApi.JOBS_LIST, new JsonObject(), harness.caller(Role.USER)).code())
      .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(harness.refused(ProcessingApi.FRAMES_CREATE, new JsonObject().put("mediaId", id).put("fps", 1),
      Caller.anonymous()).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    JsonObject done = awaitFinished(transcodeOf(audio));
    assertThat(harness.refused(ProcessingApi.JOBS_RETRY, new JsonObject().put("id", done.getString("id")), editor)
      .code()).as("retry of a %s job", done.getString("status")).isEqualTo(ErrorCode.CONFLICT);
    assertThat(Http.ops("http://127.0.0.1:" + harness.platform().port("processing") + "/ready").body())
      .contains("ffmpeg");
  }

  // ---- helpers

  private String program() {
    return harness.<JsonObject>call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", "Processing "
      + UUID.randomUUID()), editor).getString("id");
  }

  private JsonObject upload(Path file, String mime) throws Exception {
    HttpResponse<String> r = Multipart.post(uploadUrl, editor.token(), Map.of("contentId", program(), "contentType",
      "PROGRAM"), mime, () -> {
        try {
          return Files.newInputStream(file);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body());
  }

  /** The id of the transcode job the asset's upload queued. */
  private String transcodeOf(JsonObject asset) {
    return Await.value("the transcode job of " + asset.getString("id"), JOB, () -> harness.<JsonObject>call(
        ProcessingApi.JOBS_LIST, new JsonObject().put("mediaId", asset.getString("id")).put("type", "TRANSCODE"),
        editor).getJsonArray("items"), items -> items.size() == 1)
      .getJsonObject(0).getString("id");
  }

  private JsonObject job(String id) {
    return harness.call(ProcessingApi.JOBS_GET, new JsonObject().put("id", id), editor);
  }

  private JsonObject awaitFinished(String id) {
    return Await.value("job " + id + " finished", JOB, () -> job(id),
      j -> List.of("SUCCEEDED", "FAILED", "CANCELED").contains(j.getString("status")));
  }

  /** The job's events, read until one of {@code last} arrived. */
  private List<EventEnvelope> eventsOf(String jobId, String last) {
    List<EventEnvelope> out = new ArrayList<>();
    Await.until(last + " of " + jobId, JOB, () -> {
      out.clear();
      processingEvents.poll().stream().map(ProcessingServiceIT::envelope).filter(e -> e.subject().equals(jobId))
        .forEach(out::add);
      return out.stream().anyMatch(e -> e.type().equals(last));
    });
    return out;
  }

  private static EventEnvelope envelope(ConsumerRecord<String, byte[]> record) {
    return EventEnvelope.decode(io.vertx.core.buffer.Buffer.buffer(record.value()));
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }

  private static List<String> segments(String playlist) {
    return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  private List<String> keys(String prefix) {
    return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
  }

  private byte[] bytes(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  private String text(String key) {
    return new String(bytes(key), java.nio.charset.StandardCharsets.UTF_8);
  }

  private Path download(String key) throws IOException {
    Path local = files.resolve(UUID.randomUUID() + "-" + key.substring(key.lastIndexOf('/') + 1));
    Files.write(local, bytes(key));
    return local;
  }
}
