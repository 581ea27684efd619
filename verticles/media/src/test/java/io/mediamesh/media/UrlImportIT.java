package io.mediamesh.media;

import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.ServiceHarness;
import io.mediamesh.testkit.TestClock;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.TestTokens;
import io.mediamesh.testkit.TopicReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Imports from a URL against real PostgreSQL, S3 and Kafka, from an origin served on 127.0.0.1 ({@link ImportOrigin},
 * allowlisted): an import becomes READY with its hash and media.uploaded; a connection cut mid-body resumes with
 * {@code Range} and {@code If-Range}; a file changed between the cut and the resume is downloaded again from byte 0,
 * never spliced; a download goes on from its stored parts after a restart of the service; a checksum mismatch, a
 * type that is not media, an oversized file and a 404 fail with their reason and leave nothing in storage; private
 * addresses are refused, also behind a redirect; bad requests and roles.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UrlImportIT {

  static final int PART = 5 * 1024 * 1024;
  static final int MAX_IMAGE = 1024 * 1024;
  static final int MAX_ATTEMPTS = 3;
  static final Duration ENDED = Duration.ofSeconds(60);
  static final List<Supplier<ServiceModule>> MODULES = List.of(io.mediamesh.cms.CmsModule::new, MediaModule::new);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final TestClock clock = TestClock.running();
  private ImportOrigin origin;
  private PlatformConfig config;
  private TestTokens tokens;
  private ServiceHarness harness;
  private S3Client s3;
  private String bucket;
  private TopicReader events;
  private Caller editor;

  @BeforeAll
  void start(TestInfra infra) {
    origin = new ImportOrigin();
    config = infra.platformConfig(new JsonObject().put("services", new JsonObject()
      .put("media", new JsonObject().put("maxImageBytes", MAX_IMAGE).put("maxAudioBytes", 32L << 20)
        .put("maxVideoBytes", 64L << 20).put("partSizeBytes", PART)
        .put("importAllowedHosts", "127.0.0.1").put("importMaxAttempts", MAX_ATTEMPTS)
        .put("importInitialBackoffMs", 50).put("importMaxBackoffMs", 200).put("importPollIntervalMs", 100)
        .put("importTimeoutMs", 15_000))));
    harness = ServiceHarness.start(config, MODULES, clock);
    tokens = harness.tokens();
    bucket = config.s3().bucket();
    s3 = io.mediamesh.testkit.TestS3.client(config.s3());
    events = new TopicReader(infra.kafka().bootstrapServers(), Topics.MEDIA);
  }

  @BeforeEach
  void caller() {
    editor = harness.caller(Role.EDITOR);
  }

  @AfterAll
  void stop() {
    events.close();
    s3.close();
    harness.close();
    origin.close();
  }

  @Test
  void anImportBecomesReadyWithItsHashAndMediaUploaded() throws Exception {
    byte[] video = video(PART + 1536 * 1024);
    origin.serve("/ready.mp4", video, "video/mp4");
    JsonObject created = create(origin.url("/ready.mp4"), episode(), "EPISODE", sha256(video).toUpperCase());
    assertThat(created.getString("status")).isEqualTo("QUEUED");
    assertThat(created.getString("url")).isEqualTo(origin.url("/ready.mp4"));
    assertThat(created.getString("sha256")).as("kept in lower case").isEqualTo(sha256(video));
    assertThat(created.getString("createdBy")).isEqualTo(editor.userId());
    String mediaId = created.getString("mediaId");

    JsonObject done = ended(created.getString("id"));
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("SUCCEEDED");
    assertThat(done.getLong("bytes")).isEqualTo(video.length);
    assertThat(done.getLong("totalBytes")).isEqualTo(video.length);
    assertThat(done.getInteger("attempts")).isEqualTo(1);
    assertThat(done.getString("error")).isNull();

    JsonObject media = harness.call(MediaApi.GET, new JsonObject().put("id", mediaId), editor);
    assertThat(media.getString("status")).isEqualTo("READY");
    assertThat(media.getString("kind")).isEqualTo("VIDEO");
    assertThat(media.getString("mimeType")).as("sniffed from the bytes").isIn("video/mp4", "video/quicktime");
    assertThat(media.getLong("sizeBytes")).isEqualTo(video.length);
    assertThat(media.getString("sha256")).isEqualTo(sha256(video));
    assertThat(sha256(download(media.getString("url")))).isEqualTo(sha256(video));
    assertThat(objects(mediaId)).containsExactly("media/" + mediaId + "/original");
    assertThat(events(mediaId)).extracting(EventEnvelope::type).containsExactly("media.uploaded", "media.ready");
    assertThat(origin.seen("/ready.mp4")).as("one plain GET").singleElement()
      .satisfies(s -> assertThat(s.range()).isNull());
  }

  @Test
  void aConnectionCutMidBodyResumesWithRangeAndIfRange() throws Exception {
    byte[] video = video(PART + 1536 * 1024);
    ImportOrigin.Version served = origin.serve("/cut.mp4", video, "video/mp4");
    origin.cutOnce("/cut.mp4", PART + 512 * 1024, null);
    JsonObject created = create(origin.url("/cut.mp4"), program(), "PROGRAM", null);

    JsonObject done = ended(created.getString("id"));
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("SUCCEEDED");
    assertThat(done.getInteger("attempts")).as("the cut, then the resume").isEqualTo(2);
    List<ImportOrigin.Seen> asked = origin.seen("/cut.mp4");
    assertThat(asked).hasSize(2);
    assertThat(asked.get(0).range()).isNull();
    assertThat(asked.get(1).range()).as("from the end of the stored part").isEqualTo("bytes=" + PART + "-");
    assertThat(asked.get(1).ifRange()).as("the first answer's strong ETag").isEqualTo(served.etag());
    assertThat(asked.get(1).status()).isEqualTo(206);

    JsonObject media = harness.call(MediaApi.GET, new JsonObject().put("id", done.getString("mediaId")), editor);
    assertThat(media.getString("status")).isEqualTo("READY");
    assertThat(media.getString("sha256")).isEqualTo(sha256(video));
    assertThat(download(media.getString("url"))).isEqualTo(video);
  }

  @Test
  void anImportGoesOnFromItsStoredPartsAfterTheMediaServiceRestarts() throws Exception {
    byte[] video = video(PART + 1536 * 1024);
    ImportOrigin.Version served = origin.serve("/restart.mp4", video, "video/mp4");
    origin.stallOnce("/restart.mp4", PART + 512 * 1024);
    String id = create(origin.url("/restart.mp4"), program(), "PROGRAM", null).getString("id");
    Await.until("a part stored", ENDED, () -> harness.<JsonObject>call(MediaApi.IMPORTS_GET,
      new JsonObject().put("id", id), editor).getLong("bytes") >= PART);

    harness.close(); // the download stops where it is: its part is in storage, its state in the import's row
    harness = ServiceHarness.start(config, MODULES, clock, tokens);
    clock.advance(Duration.ofMinutes(2)); // past the dead instance's lease
    editor = harness.caller(Role.EDITOR);

    JsonObject done = ended(id);
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("SUCCEEDED");
    assertThat(done.getInteger("attempts")).isEqualTo(2);
    List<ImportOrigin.Seen> asked = origin.seen("/restart.mp4");
    assertThat(asked).hasSize(2);
    assertThat(asked.get(1).range()).isEqualTo("bytes=" + PART + "-");
    assertThat(asked.get(1).ifRange()).isEqualTo(served.etag());
    assertThat(asked.get(1).status()).isEqualTo(206);
    JsonObject media = harness.call(MediaApi.GET, new JsonObject().put("id", done.getString("mediaId")), editor);
    assertThat(media.getString("sha256")).isEqualTo(sha256(video));
    assertThat(download(media.getString("url"))).isEqualTo(video);
  }

  @Test
  void aFileChangedBetweenTheCutAndTheResumeIsDownloadedAgainNeverSpliced() throws Exception {
    byte[] first = video(PART + 1536 * 1024);
    byte[] second = changed(video(PART + 1024 * 1024 + 4096));
    ImportOrigin.Version before = origin.serve("/changing.mp4", first, "video/mp4");
    ImportOrigin.Version after = origin.version(second, "video/mp4");
    origin.cutOnce("/changing.mp4", PART + 512 * 1024, after);
    JsonObject created = create(origin.url("/changing.mp4"), program(), "PROGRAM", null);

    JsonObject done = ended(created.getString("id"));
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("SUCCEEDED");
    List<ImportOrigin.Seen> asked = origin.seen("/changing.mp4");
    assertThat(asked).hasSize(2);
    assertThat(asked.get(1).range()).isEqualTo("bytes=" + PART + "-");
    assertThat(asked.get(1).ifRange()).isEqualTo(before.etag()).isNotEqualTo(after.etag());
    assertThat(asked.get(1).status()).as("a stale If-Range gets the whole new file").isEqualTo(200);

    String mediaId = done.getString("mediaId");
    JsonObject media = harness.call(MediaApi.GET, new JsonObject().put("id", mediaId), editor);
    byte[] stored = download(media.getString("url"));
    byte[] splice = concat(Arrays.copyOfRange(first, 0, PART), Arrays.copyOfRange(second, PART, second.length));
    assertThat(sha256(stored)).as("exactly the new file").isEqualTo(sha256(second)).isNotEqualTo(sha256(splice));
    assertThat(media.getString("sha256")).isEqualTo(sha256(second));
    assertThat(done.getLong("bytes")).isEqualTo(second.length);
    assertThat(multipartUploads(mediaId)).as("the first version's parts were aborted").isEmpty();
  }

  @Test
  void aChecksumMismatchFailsAndLeavesNothingInStorage() throws Exception {
    byte[] video = video(PART + 1024 * 1024);
    origin.serve("/tampered.mp4", video, "video/mp4");
    String other = sha256("something else".getBytes(StandardCharsets.UTF_8));
    JsonObject created = create(origin.url("/tampered.mp4"), program(), "PROGRAM", other);

    JsonObject done = ended(created.getString("id"));
    assertThat(done.getString("status")).isEqualTo("FAILED");
    assertThat(done.getString("error")).startsWith("sha256: ").contains(sha256(video)).contains(other);
    assertThat(done.getInteger("attempts")).as("not retried").isEqualTo(1);
    assertNothingStored(done.getString("mediaId"));
  }

  @Test
  void aPrivateAddressIsRefusedAlsoBehindARedirect() throws Exception {
    String refusal = "refused: 169.254.169.254 is a private, loopback or link-local address and not in "
      + "services.media.importAllowedHosts";
    JsonObject direct = ended(create("http://169.254.169.254/latest/meta-data/", program(), "PROGRAM", null)
      .getString("id"));
    assertThat(direct.getString("status")).isEqualTo("FAILED");
    assertThat(direct.getString("error")).isEqualTo(refusal);
    assertThat(direct.getInteger("attempts")).isEqualTo(1);

    origin.redirect("/moved.mp4", "http://169.254.169.254/latest/meta-data/");
    JsonObject redirected = ended(create(origin.url("/moved.mp4"), program(), "PROGRAM", null).getString("id"));
    assertThat(redirected.getString("status")).isEqualTo("FAILED");
    assertThat(redirected.getString("error")).isEqualTo(refusal);
    assertThat(origin.seen("/moved.mp4")).hasSize(1);
    assertNothingStored(redirected.getString("mediaId"));
  }

  @Test
  void aMissingFileFailsWithTheStatusAnswered() throws Exception {
    JsonObject done = ended(create(origin.url("/nothing-here.mp4"), program(), "PROGRAM", null).getString("id"));
    assertThat(done.getString("status")).isEqualTo("FAILED");
    assertThat(done.getString("error")).isEqualTo("source answered HTTP 404");
    assertThat(done.getInteger("attempts")).as("a 404 is not retried").isEqualTo(1);
    assertNothingStored(done.getString("mediaId"));
  }

  @Test
  void aFileThatIsNotMediaFailsAtSniffing() throws Exception {
    byte[] html = "<html><body>not a video</body></html>".repeat(2000).getBytes(StandardCharsets.US_ASCII);
    origin.serve("/clip.mp4", html, "video/mp4"); // whatever the name and the Content-Type say
    JsonObject done = ended(create(origin.url("/clip.mp4"), program(), "PROGRAM", null).getString("id"));
    assertThat(done.getString("status")).isEqualTo("FAILED");
    assertThat(done.getString("error")).isEqualTo("refused: content of type text/html is not accepted");
    assertThat(done.getInteger("attempts")).isEqualTo(1);
    assertNothingStored(done.getString("mediaId"));
  }

  @Test
  void aFileLargerThanItsKindAllowsFailsByItsLength() throws Exception {
    byte[] png = Multipart.generated(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 2L * MAX_IMAGE)
      .readAllBytes();
    origin.serve("/poster.png", png, "image/png");
    JsonObject done = ended(create(origin.url("/poster.png"), program(), "PROGRAM", null).getString("id"));
    assertThat(done.getString("status")).isEqualTo("FAILED");
    assertThat(done.getString("error")).isEqualTo("refused: the file is " + png.length + " bytes, more than the "
      + MAX_IMAGE + " bytes allowed for an image");
    assertNothingStored(done.getString("mediaId"));
  }

  @Test
  void badRequestsAreRefusedNamingEachFieldAndRolesAreChecked() {
    String program = program();
    ServiceException bad = harness.refused(MediaApi.IMPORTS_CREATE, new JsonObject().put("url", "ftp://example.org/a")
      .put("contentId", "nope").put("contentType", "SERIES").put("sha256", "abc"), editor);
    assertThat(bad.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(bad.details().getJsonObject("fields").fieldNames())
      .containsExactlyInAnyOrder("url", "contentId", "contentType", "sha256");
    assertThat(harness.refused(MediaApi.IMPORTS_CREATE, new JsonObject().put("url", "http://user:pw@example.org/a")
      .put("contentId", program).put("contentType", "PROGRAM"), editor).details().getJsonObject("fields")
      .fieldNames()).containsExactly("url");
    ServiceException missing = harness.refused(MediaApi.IMPORTS_CREATE, body(origin.url("/a.mp4"),
      UUID.randomUUID().toString(), "PROGRAM", null), editor);
    assertThat(missing.code()).isEqualTo(ErrorCode.UNPROCESSABLE);
    assertThat(missing.details().getJsonObject("fields").fieldNames()).containsExactly("contentId");

    JsonObject ok = body(origin.url("/a.mp4"), program, "PROGRAM", null);
    assertThat(harness.refused(MediaApi.IMPORTS_CREATE, ok, harness.caller(Role.USER)).code())
      .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(harness.refused(MediaApi.IMPORTS_CREATE, ok, Caller.anonymous()).code())
      .isEqualTo(ErrorCode.UNAUTHENTICATED);
    JsonObject byId = new JsonObject().put("id", UUID.randomUUID().toString());
    assertThat(harness.refused(MediaApi.IMPORTS_GET, byId, harness.caller(Role.USER)).code())
      .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(harness.refused(MediaApi.IMPORTS_GET, byId, Caller.anonymous()).code())
      .isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(harness.refused(MediaApi.IMPORTS_GET, byId, editor).code()).isEqualTo(ErrorCode.NOT_FOUND);
    JsonObject byAdmin = harness.call(MediaApi.IMPORTS_CREATE, ok, harness.caller(Role.ADMIN));
    assertThat(byAdmin.getString("status")).isEqualTo("QUEUED");
  }

  // ---- helpers

  private JsonObject create(String url, String contentId, String contentType, String sha256) {
    return harness.call(MediaApi.IMPORTS_CREATE, body(url, contentId, contentType, sha256), editor);
  }

  private static JsonObject body(String url, String contentId, String contentType, String sha256) {
    JsonObject body = new JsonObject().put("url", url).put("contentId", contentId).put("contentType", contentType);
    return sha256 == null ? body : body.put("sha256", sha256);
  }

  /** The import once it SUCCEEDED or FAILED. */
  private JsonObject ended(String id) {
    return Await.value("import " + id + " ended", ENDED,
      () -> harness.<JsonObject>call(MediaApi.IMPORTS_GET, new JsonObject().put("id", id), editor),
      i -> Set.of("SUCCEEDED", "FAILED").contains(i.getString("status")));
  }

  /** A failed import's asset is FAILED, and neither an object nor a multipart upload of it is left. */
  private void assertNothingStored(String mediaId) {
    JsonObject media = harness.call(MediaApi.GET, new JsonObject().put("id", mediaId), editor);
    assertThat(media.getString("status")).isEqualTo("FAILED");
    assertThat(media.getString("url")).isNull();
    assertThat(objects(mediaId)).isEmpty();
    assertThat(multipartUploads(mediaId)).isEmpty();
  }

  private String program() {
    JsonObject program = harness.call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", "Imports of "
      + UUID.randomUUID()), editor);
    return program.getString("id");
  }

  private String episode() {
    JsonObject episode = harness.call(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", program())
      .put("seasonNumber", 1).put("episodeNumber", 1).put("title", "Pilot"), editor);
    return episode.getString("id");
  }

  private List<EventEnvelope> events(String id) {
    List<ConsumerRecord<String, byte[]>> all = events.afterOutbox(harness.platform(), "media", Duration.ofSeconds(15));
    return all.stream().filter(r -> id.equals(r.key())).map(r -> EventEnvelope.decode(Buffer.buffer(r.value())))
      .toList();
  }

  private Set<String> objects(String mediaId) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("media/" + mediaId + "/")).contents().stream()
      .map(S3Object::key).collect(Collectors.toSet());
  }

  private List<String> multipartUploads(String mediaId) {
    return s3.listMultipartUploads(b -> b.bucket(bucket).prefix("media/" + mediaId + "/")).uploads().stream()
      .map(u -> u.uploadId()).toList();
  }

  private byte[] download(String url) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
      HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** {@code size} bytes of an MP4 (its header, then a pattern). */
  private static byte[] video(int size) throws Exception {
    return Multipart.generated(Multipart.mp4Header(), size).readAllBytes();
  }

  /** Another file of the same type: every byte after the header differs from {@link #video}'s at that position. */
  private static byte[] changed(byte[] video) {
    byte[] out = video.clone();
    for (int i = Multipart.mp4Header().length; i < out.length; i++) {
      out[i] ^= 0x5a;
    }
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
