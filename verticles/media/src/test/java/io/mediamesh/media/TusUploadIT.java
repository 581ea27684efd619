package io.mediamesh.media;

import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
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

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tus 1.0 server of the media service against real PostgreSQL, S3 and Kafka: an upload in chunks becomes READY
 * with its event and hash; a PATCH cut short keeps what arrived and the upload resumes, also across a restart of the
 * service; the protocol's refusals (409, 412, 413, 415, 423, 460), termination, expiry on a moved clock, and roles.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TusUploadIT {

  static final int PART = 5 * 1024 * 1024;
  static final int MAX_IMAGE = 1024 * 1024;
  static final Duration EXPIRY = Duration.ofHours(1);
  static final List<Supplier<ServiceModule>> MODULES = List.of(io.mediamesh.cms.CmsModule::new, MediaModule::new);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();
  private final TestClock clock = TestClock.running();
  private PlatformConfig config;
  private TestTokens tokens;
  private ServiceHarness harness;
  private S3Client s3;
  private String bucket;
  private TopicReader events;
  private Caller editor;

  @BeforeAll
  void start(TestInfra infra) {
    config = infra.platformConfig(new JsonObject().put("services", new JsonObject()
      .put("media", new JsonObject().put("maxImageBytes", MAX_IMAGE).put("maxAudioBytes", 32L << 20)
        .put("maxVideoBytes", 64L << 20)
        .put("partSizeBytes", PART).put("tusExpirySeconds", EXPIRY.toSeconds()).put("sweepIntervalMs", 100))));
    harness = ServiceHarness.start(config, MODULES, clock);
    tokens = harness.tokens();
    bucket = config.s3().bucket();
    s3 = io.mediamesh.testkit.TestS3.client(config.s3());
    events = new TopicReader(infra.kafka().bootstrapServers(), Topics.MEDIA);
  }

  @BeforeEach
  void caller() {
    // per test: the expiry test moves the clock past every token signed before
    editor = harness.caller(Role.EDITOR);
  }

  @AfterAll
  void stop() {
    events.close();
    s3.close();
    harness.close();
  }

  @Test
  void optionsTellsWhatTheServerSpeaksWithoutAToken() throws Exception {
    HttpResponse<String> r = send("OPTIONS", MediaApi.TUS_PATH, null, Map.of(), null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(header(r, "Tus-Version")).isEqualTo("1.0.0");
    assertThat(header(r, "Tus-Extension").split(",")).contains("creation", "termination", "checksum", "expiration");
    assertThat(header(r, "Tus-Max-Size")).isEqualTo(String.valueOf(64L << 20));
    assertThat(header(r, "Tus-Checksum-Algorithm").split(",")).contains("sha1", "sha256");
  }

  @Test
  void anUploadInChunksBecomesReadyWithItsEventAndItsHash() throws Exception {
    String contentId = episode();
    byte[] video = video(PART + 1536 * 1024);
    HttpResponse<String> created = create(editor, video.length, meta(contentId, "EPISODE", "video/mp4", "pilot.mp4"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(header(created, "Tus-Resumable")).isEqualTo("1.0.0");
    String location = header(created, "Location");
    assertThat(location).startsWith(MediaApi.TUS_PATH);
    String id = location.substring(MediaApi.TUS_PATH.length());

    HttpResponse<String> fresh = head(location, editor);
    assertThat(fresh.statusCode()).isEqualTo(200);
    assertThat(header(fresh, "Upload-Offset")).isEqualTo("0");
    assertThat(header(fresh, "Upload-Length")).isEqualTo(String.valueOf(video.length));
    assertThat(header(fresh, "Upload-Metadata")).isEqualTo(meta(contentId, "EPISODE", "video/mp4", "pilot.mp4"));
    assertThat(header(fresh, "Cache-Control")).isEqualTo("no-store");
    assertThat(call(MediaApi.GET, id).getString("status")).isEqualTo("PENDING");

    // 1 MiB, then 3 MiB (still under a part: kept as the tail), then the rest across the part boundary
    int[] cuts = {0, 1024 * 1024, 4 * 1024 * 1024, video.length};
    for (int i = 1; i < cuts.length; i++) {
      HttpResponse<String> patched = patch(location, editor, cuts[i - 1], slice(video, cuts[i - 1], cuts[i]), Map.of());
      assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
      assertThat(header(patched, "Upload-Offset")).isEqualTo(String.valueOf(cuts[i]));
      assertThat(header(patched, "Upload-Expires")).isNotBlank();
      assertThat(header(head(location, editor), "Upload-Offset")).isEqualTo(String.valueOf(cuts[i]));
    }

    JsonObject media = call(MediaApi.GET, id);
    assertThat(media.getString("status")).isEqualTo("READY");
    assertThat(media.getString("kind")).isEqualTo("VIDEO");
    assertThat(media.getString("mimeType")).as("sniffed from the bytes").isIn("video/mp4", "video/quicktime");
    assertThat(media.getLong("sizeBytes")).isEqualTo(video.length);
    assertThat(media.getString("sha256")).isEqualTo(sha256(video));
    assertThat(sha256(download(media.getString("url")))).isEqualTo(sha256(video));
    assertThat(objects("media/" + id + "/")).as("the tails are gone, the object stays")
      .containsExactly("media/" + id + "/original");
    List<EventEnvelope> published = events(id);
    assertThat(published).extracting(EventEnvelope::type).containsExactly("media.uploaded", "media.ready");
    assertThat(published.get(0).data().getString("sha256")).isEqualTo(sha256(video));
    assertThat(published.get(0).data().getString("status")).isEqualTo("READY");
    // a finished upload still answers its state, so a client resuming from its URL learns it is done
    assertThat(header(head(location, editor), "Upload-Offset")).isEqualTo(String.valueOf(video.length));
  }

  @Test
  void aPatchCutShortKeepsWhatArrivedAndTheUploadResumes() throws Exception {
    byte[] video = video(PART + 1536 * 1024);
    String location = created(video.length, "video/mp4");
    String id = location.substring(MediaApi.TUS_PATH.length());

    // the connection drops 2 MiB into a PATCH announcing the whole file: those 2 MiB are kept, as the tail
    cutShort(location, editor, 0, video, 2 * 1024 * 1024);
    long offset = awaitOffset(location, o -> o > 0);
    assertThat(offset).isEqualTo(2 * 1024 * 1024);

    // again, across the part boundary: at least the stored part is kept, at most what was sent
    int sentTo = PART + 512 * 1024;
    cutShort(location, editor, offset, slice(video, (int) offset, video.length), sentTo - (int) offset);
    long resumed = awaitOffset(location, o -> o >= PART);
    assertThat(resumed).isBetween((long) PART, (long) sentTo);

    HttpResponse<String> rest = patch(location, editor, resumed, slice(video, (int) resumed, video.length), Map.of());
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(204);
    JsonObject media = call(MediaApi.GET, id);
    assertThat(media.getString("status")).isEqualTo("READY");
    assertThat(media.getString("sha256")).isEqualTo(sha256(video));
    assertThat(sha256(download(media.getString("url")))).isEqualTo(sha256(video));
  }

  @Test
  void anUploadResumesAfterTheMediaServiceRestarts() throws Exception {
    byte[] video = video(PART + 1024 * 1024);
    String location = created(video.length, "video/mp4");
    String id = location.substring(MediaApi.TUS_PATH.length());
    int first = PART + 256 * 1024; // a part and a tail
    assertThat(patch(location, editor, 0, slice(video, 0, first), Map.of()).statusCode()).isEqualTo(204);

    harness.close();
    harness = ServiceHarness.start(config, MODULES, clock, tokens);

    HttpResponse<String> state = head(location, editor);
    assertThat(state.statusCode()).isEqualTo(200);
    assertThat(header(state, "Upload-Offset")).isEqualTo(String.valueOf(first));
    HttpResponse<String> rest = patch(location, editor, first, slice(video, first, video.length), Map.of());
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(204);
    JsonObject media = call(MediaApi.GET, id);
    assertThat(media.getString("status")).isEqualTo("READY");
    assertThat(media.getString("sha256")).isEqualTo(sha256(video));
  }

  @Test
  void aPatchMustStartAtTheOffsetAndOnlyOneAtATime() throws Exception {
    byte[] video = video(2 * 1024 * 1024);
    String location = created(video.length, "video/mp4");
    HttpResponse<String> wrong = patch(location, editor, 100, slice(video, 100, 1000), Map.of());
    assertThat(wrong.statusCode()).isEqualTo(409);
    assertThat(error(wrong).getString("message")).contains("Upload-Offset").contains("0");

    // a PATCH holding the upload (its 100 Continue says so) keeps a second one out
    try (Socket holder = new Socket("127.0.0.1", harness.platform().port("media"))) {
      holder.getOutputStream().write(patchHead(location, editor, 0, video.length, true));
      holder.getOutputStream().flush();
      assertThat(statusLine(holder.getInputStream())).isEqualTo("HTTP/1.1 100 Continue");
      HttpResponse<String> second = patch(location, editor, 0, slice(video, 0, 1000), Map.of());
      assertThat(second.statusCode()).isEqualTo(423);
      assertThat(error(second).getString("code")).isEqualTo(ErrorCode.LOCKED.code());
    }
    // once the holder is gone, the upload is free again and nothing of the empty PATCH was kept
    HttpResponse<String> after = Await.value("the upload released", Duration.ofSeconds(10),
      () -> unchecked(() -> patch(location, editor, 0, slice(video, 0, 1000), Map.of())), r -> r.statusCode() != 423);
    assertThat(after.statusCode()).as(after.body()).isEqualTo(204);
    assertThat(header(after, "Upload-Offset")).isEqualTo("1000");
  }

  @Test
  void aChecksumMismatchIs460AndKeepsNothingOfThatPatch() throws Exception {
    byte[] video = video(PART + 1024 * 1024);
    String location = created(video.length, "video/mp4");
    byte[] first = slice(video, 0, 1024 * 1024);
    HttpResponse<String> bad = patch(location, editor, 0, first, Map.of("Upload-Checksum",
      "sha1 " + Base64.getEncoder().encodeToString(digest("SHA-1", "something else".getBytes()))));
    assertThat(bad.statusCode()).isEqualTo(460);
    assertThat(error(bad).getString("code")).isEqualTo("checksum_mismatch");
    assertThat(header(head(location, editor), "Upload-Offset")).isEqualTo("0");

    HttpResponse<String> good = patch(location, editor, 0, first, Map.of("Upload-Checksum",
      "sha1 " + Base64.getEncoder().encodeToString(digest("SHA-1", first))));
    assertThat(good.statusCode()).as(good.body()).isEqualTo(204);

    // a mismatch after a part went to storage keeps nothing either: the offset stays, the upload still completes
    byte[] rest = slice(video, first.length, video.length);
    byte[] tampered = rest.clone();
    tampered[tampered.length - 1] ^= 1;
    HttpResponse<String> late = patch(location, editor, first.length, tampered, Map.of("Upload-Checksum",
      "sha256 " + Base64.getEncoder().encodeToString(digest("SHA-256", rest))));
    assertThat(late.statusCode()).isEqualTo(460);
    assertThat(header(head(location, editor), "Upload-Offset")).isEqualTo(String.valueOf(first.length));
    HttpResponse<String> done = patch(location, editor, first.length, rest, Map.of("Upload-Checksum",
      "sha256 " + Base64.getEncoder().encodeToString(digest("SHA-256", rest))));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
    assertThat(call(MediaApi.GET, location.substring(MediaApi.TUS_PATH.length())).getString("sha256"))
      .isEqualTo(sha256(video));

    HttpResponse<String> unknown = patch(created(100, "video/mp4"), editor, 0, new byte[10], Map.of(
      "Upload-Checksum", "crc32 AAAAAA=="));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(fields(unknown)).containsKey("Upload-Checksum");
  }

  @Test
  void bytesThatAreNotTheDeclaredTypeAre415AtSniffingAndTheUploadIsAborted() throws Exception {
    String location = created(64 * 1024, "video/mp4");
    String id = location.substring(MediaApi.TUS_PATH.length());
    byte[] html = "<html><body>not a video</body></html>".repeat(2000).getBytes(StandardCharsets.US_ASCII);
    // fewer bytes than the sniffing needs are kept as they are
    HttpResponse<String> early = patch(location, editor, 0, slice(html, 0, 4096), Map.of());
    assertThat(early.statusCode()).isEqualTo(204);
    HttpResponse<String> refused = patch(location, editor, 4096, slice(html, 4096, 20_000), Map.of());
    assertThat(refused.statusCode()).isEqualTo(415);
    assertThat(fields(refused)).containsKey("file");
    assertThat(head(location, editor).statusCode()).isEqualTo(404);
    assertThat(harness.refused(MediaApi.GET, new JsonObject().put("id", id), editor).code())
      .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(objects("media/" + id + "/")).isEmpty();

    HttpResponse<String> wrongType = send("PATCH", created(100, "video/mp4"), editor, Map.of("Upload-Offset", "0",
      "Content-Type", "application/octet-stream"), new byte[10]);
    assertThat(wrongType.statusCode()).isEqualTo(415);
    assertThat(fields(wrongType)).containsKey("Content-Type");
  }

  @Test
  void sizesAreCheckedAtCreationAndAtEveryPatch() throws Exception {
    String contentId = program();
    HttpResponse<String> tooLarge = create(editor, MAX_IMAGE + 1, meta(contentId, "PROGRAM", "image/png", null));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(fields(tooLarge)).containsKey("Upload-Length");

    String location = created(1000, "video/mp4");
    HttpResponse<String> over = patch(location, editor, 0, video(2000), Map.of());
    assertThat(over.statusCode()).isEqualTo(413);
    // a body of unknown length (chunked) past the length is cut off as it arrives, and nothing of it is kept
    HttpResponse<String> chunked = send("PATCH", location, editor, Map.of("Upload-Offset", "0",
      "Content-Type", "application/offset+octet-stream"), null, video(3000));
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(header(head(location, editor), "Upload-Offset")).isEqualTo("0");
  }

  @Test
  void badCreationsAreRefusedNamingWhatIsWrong() throws Exception {
    String contentId = program();
    String good = meta(contentId, "PROGRAM", "video/mp4", "clip.mp4");
    assertThat(fields(create(editor, null, good))).containsKey("Upload-Length");
    assertThat(fields(send("POST", MediaApi.TUS_PATH, editor, Map.of("Upload-Defer-Length", "1",
      "Upload-Metadata", good), null))).containsKey("Upload-Defer-Length");
    assertThat(fields(create(editor, 1000L, meta("not-a-uuid", "PROGRAM", "video/mp4", null))))
      .containsKey("contentId");
    assertThat(fields(create(editor, 1000L, meta(contentId, "SERIES", "video/mp4", null)))).containsKey("contentType");
    assertThat(fields(create(editor, 1000L, meta(contentId, "PROGRAM", null, null)))).containsKey("filetype");
    HttpResponse<String> notBase64 = create(editor, 1000L, "contentId !!!");
    assertThat(notBase64.statusCode()).isEqualTo(400);
    assertThat(fields(notBase64)).containsKey("Upload-Metadata");
    HttpResponse<String> html = create(editor, 1000L, meta(contentId, "PROGRAM", "text/html", null));
    assertThat(html.statusCode()).isEqualTo(415);
    assertThat(fields(html)).containsKey("filetype");
    HttpResponse<String> noContent = create(editor, 1000L, meta(UUID.randomUUID().toString(), "PROGRAM",
      "video/mp4", null));
    assertThat(noContent.statusCode()).isEqualTo(422);
    assertThat(fields(noContent)).containsKey("contentId");

    HttpResponse<String> noVersion = http.send(HttpRequest.newBuilder(uri(MediaApi.TUS_PATH))
      .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + editor.token())
      .header("Upload-Length", "1000").header("Upload-Metadata", good).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(noVersion.statusCode()).isEqualTo(412);
    assertThat(header(noVersion, "Tus-Version")).isEqualTo("1.0.0");
  }

  @Test
  void terminationAbortsTheUploadAndLeavesNothing() throws Exception {
    byte[] video = video(PART + 1024 * 1024);
    String location = created(video.length, "video/mp4");
    String id = location.substring(MediaApi.TUS_PATH.length());
    int sent = PART + 512 * 1024;
    assertThat(patch(location, editor, 0, slice(video, 0, sent), Map.of()).statusCode()).isEqualTo(204);
    assertThat(objects("media/" + id + "/")).as("the tail").isNotEmpty();
    assertThat(multipartUploads(id)).hasSize(1);

    HttpResponse<String> deleted = send("DELETE", location, editor, Map.of(), null);
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(head(location, editor).statusCode()).isEqualTo(404);
    assertThat(patch(location, editor, sent, slice(video, sent, video.length), Map.of()).statusCode())
      .isEqualTo(404);
    assertThat(objects("media/" + id + "/")).isEmpty();
    assertThat(multipartUploads(id)).isEmpty();
    assertThat(harness.refused(MediaApi.GET, new JsonObject().put("id", id), editor).code())
      .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void anAbandonedUploadExpiresAndTheSweeperRemovesIt() throws Exception {
    byte[] video = video(PART + 1024 * 1024);
    Instant before = clock.instant();
    HttpResponse<String> created = create(editor, video.length, meta(program(), "PROGRAM", "video/mp4", null));
    Instant after = clock.instant();
    String location = header(created, "Location");
    String id = location.substring(MediaApi.TUS_PATH.length());
    Instant expires = ZonedDateTime.parse(header(created, "Upload-Expires"), DateTimeFormatter.RFC_1123_DATE_TIME)
      .toInstant();
    assertThat(expires).isBetween(before.plus(EXPIRY).minusSeconds(1), after.plus(EXPIRY));
    int sent = PART + 512 * 1024;
    HttpResponse<String> patched = patch(location, editor, 0, slice(video, 0, sent), Map.of());
    assertThat(patched.statusCode()).isEqualTo(204);
    assertThat(ZonedDateTime.parse(header(patched, "Upload-Expires"), DateTimeFormatter.RFC_1123_DATE_TIME)
      .toInstant()).as("a PATCH moves the expiry").isAfterOrEqualTo(expires);

    clock.advance(EXPIRY.plusMinutes(5));
    editor = harness.caller(Role.EDITOR); // tokens signed before are past their expiry too
    assertThat(head(location, editor).statusCode()).as("expired is gone at once").isEqualTo(404);
    Await.until("the sweeper removed the expired upload", Duration.ofSeconds(15),
      () -> objects("media/" + id + "/").isEmpty() && multipartUploads(id).isEmpty()
        && harness.refused(MediaApi.GET, new JsonObject().put("id", id), editor).code() == ErrorCode.NOT_FOUND);
    assertThat(patch(location, editor, sent, slice(video, sent, video.length), Map.of()).statusCode()).isEqualTo(404);
  }

  @Test
  void onlyEditorsAndAdminsUpload() throws Exception {
    String meta = meta(program(), "PROGRAM", "video/mp4", null);
    assertThat(create(null, 1000L, meta).statusCode()).isEqualTo(401);
    Caller user = harness.caller(Role.USER);
    assertThat(create(user, 1000L, meta).statusCode()).isEqualTo(403);
    assertThat(create(harness.caller(Role.ADMIN), 1000L, meta).statusCode()).isEqualTo(201);
    String location = created(1000, "video/mp4");
    for (Caller who : new Caller[] {null, user}) {
      int expected = who == null ? 401 : 403;
      assertThat(head(location, who).statusCode()).isEqualTo(expected);
      assertThat(patch(location, who, 0, video(100), Map.of()).statusCode()).isEqualTo(expected);
      assertThat(send("DELETE", location, who, Map.of(), null).statusCode()).isEqualTo(expected);
    }
    assertThat(header(head(location, editor), "Upload-Offset")).isEqualTo("0");
  }

  // ---- helpers

  /** A new upload of {@code length} bytes of {@code type} for a new program; its URL. */
  private String created(long length, String type) throws Exception {
    HttpResponse<String> r = create(editor, length, meta(program(), "PROGRAM", type, null));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return header(r, "Location");
  }

  private HttpResponse<String> create(Caller caller, long length, String metadata) throws Exception {
    return create(caller, Long.valueOf(length), metadata);
  }

  /** A creation; {@code length} null: without Upload-Length. */
  private HttpResponse<String> create(Caller caller, Long length, String metadata) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    if (length != null) {
      headers.put("Upload-Length", String.valueOf(length));
    }
    headers.put("Upload-Metadata", metadata);
    return send("POST", MediaApi.TUS_PATH, caller, headers, null);
  }

  private HttpResponse<String> head(String location, Caller caller) throws Exception {
    return send("HEAD", location, caller, Map.of(), null);
  }

  private HttpResponse<String> patch(String location, Caller caller, long offset, byte[] body,
                                     Map<String, String> extra) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("Upload-Offset", String.valueOf(offset));
    headers.put("Content-Type", "application/offset+octet-stream");
    return send("PATCH", location, caller, headers, body);
  }

  private HttpResponse<String> send(String method, String path, Caller caller, Map<String, String> headers,
                                    byte[] body) throws Exception {
    return send(method, path, caller, headers, body, null);
  }

  /** A tus request; {@code chunked}: a body of unknown length instead. */
  private HttpResponse<String> send(String method, String path, Caller caller, Map<String, String> headers,
                                    byte[] body, byte[] chunked) throws Exception {
    HttpRequest.BodyPublisher publisher = chunked != null
      ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked))
      : body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
      .method(method, publisher).header("Tus-Resumable", "1.0.0");
    headers.forEach(request::header);
    if (caller != null) {
      request.header("Authorization", "Bearer " + caller.token());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + harness.platform().port("media") + path);
  }

  /** Sends a PATCH announcing all of {@code body} but only its first {@code sent} bytes, then drops the connection. */
  private void cutShort(String location, Caller caller, long offset, byte[] body, int sent) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", harness.platform().port("media"))) {
      OutputStream out = socket.getOutputStream();
      out.write(patchHead(location, caller, offset, body.length, false));
      out.write(body, 0, sent);
      out.flush();
    }
  }

  private static byte[] patchHead(String location, Caller caller, long offset, long length, boolean expectContinue) {
    return ("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
      + "Authorization: Bearer " + caller.token() + "\r\nContent-Type: application/offset+octet-stream\r\n"
      + "Upload-Offset: " + offset + "\r\nContent-Length: " + length + "\r\n"
      + (expectContinue ? "Expect: 100-continue\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static String statusLine(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /** Polls HEAD until the offset satisfies {@code done} (the server keeps what arrived once it sees the drop). */
  private long awaitOffset(String location, java.util.function.LongPredicate done) {
    return Await.value("the kept offset", Duration.ofSeconds(15),
      () -> unchecked(() -> Long.parseLong(header(head(location, editor), "Upload-Offset"))), done::test);
  }

  private static <T> T unchecked(java.util.concurrent.Callable<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code Upload-Metadata} of the given pairs (null values left out). */
  private static String meta(String contentId, String contentType, String filetype, String filename) {
    Map<String, String> pairs = new LinkedHashMap<>();
    pairs.put("contentId", contentId);
    pairs.put("contentType", contentType);
    pairs.put("filetype", filetype);
    pairs.put("filename", filename);
    return pairs.entrySet().stream().filter(e -> e.getValue() != null)
      .map(e -> e.getKey() + " " + Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)))
      .collect(Collectors.joining(","));
  }

  private String program() {
    JsonObject program = harness.call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", "Uploads of "
      + UUID.randomUUID()), editor);
    return program.getString("id");
  }

  private String episode() {
    JsonObject episode = harness.call(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", program())
      .put("seasonNumber", 1).put("episodeNumber", 1).put("title", "Pilot"), editor);
    return episode.getString("id");
  }

  private JsonObject call(io.mediamesh.common.bus.Operation<?> op, String id) {
    return harness.call(op, new JsonObject().put("id", id), editor);
  }

  /** The events published for an asset, in order. */
  private List<EventEnvelope> events(String id) {
    List<ConsumerRecord<String, byte[]>> all = events.afterOutbox(harness.platform(), "media", Duration.ofSeconds(15));
    return all.stream().filter(r -> id.equals(r.key())).map(r -> EventEnvelope.decode(Buffer.buffer(r.value())))
      .toList();
  }

  /** {@code size} bytes of an MP4 (its header, then a pattern). */
  static byte[] video(int size) throws Exception {
    return Multipart.generated(Multipart.mp4Header(), size).readAllBytes();
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    return Arrays.copyOfRange(bytes, from, to);
  }

  private Set<String> objects(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key)
      .collect(Collectors.toSet());
  }

  private List<String> multipartUploads(String id) {
    return s3.listMultipartUploads(b -> b.bucket(bucket).prefix("media/" + id + "/")).uploads().stream()
      .map(u -> u.uploadId()).toList();
  }

  private byte[] download(String url) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
      HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static JsonObject error(HttpResponse<String> r) {
    return new JsonObject(r.body()).getJsonObject("error");
  }

  private static Map<String, Object> fields(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
    return error(r).getJsonObject("details").getJsonObject("fields").getMap();
  }

  private static byte[] digest(String algorithm, byte[] bytes) throws Exception {
    return MessageDigest.getInstance(algorithm).digest(bytes);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(digest("SHA-256", bytes));
  }
}
