package io.mediamesh.media;

import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.ServiceHarness;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.TopicReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The media service with the in-process S3 store and PostgreSQL: streamed and presigned uploads, URLs, thumbnails. */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MediaServiceIT {

  static final int MAX_IMAGE = 1024 * 1024;

  private final HttpClient http = HttpClient.newHttpClient();
  private ServiceHarness harness;
  private Caller editor;
  private Caller admin;
  private S3Client s3;
  private String bucket;
  private String uploadUrl;
  private TopicReader events;

  @BeforeAll
  void start(TestInfra infra) {
    PlatformConfig config = infra.platformConfig(new JsonObject().put("services", new JsonObject()
      .put("media", new JsonObject().put("maxImageBytes", MAX_IMAGE).put("maxVideoBytes", 64L << 20)
        .put("partSizeBytes", 5 * 1024 * 1024))));
    harness = ServiceHarness.start(config, List.of(io.mediamesh.cms.CmsModule::new, MediaModule::new),
      Clock.systemUTC());
    editor = harness.caller(Role.EDITOR);
    admin = harness.caller(Role.ADMIN);
    bucket = config.s3().bucket();
    s3 = io.mediamesh.testkit.TestS3.client(config.s3());
    uploadUrl = "http://127.0.0.1:" + harness.platform().port("media") + MediaApi.UPLOAD_PATH;
    events = new TopicReader(infra.kafka().bootstrapServers(), Topics.MEDIA);
  }

  @AfterAll
  void stop() {
    events.close();
    s3.close();
    harness.close();
  }

  static byte[] png(int width, int height) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLUE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** A program in the real CMS, for assets to belong to. */
  private String program() {
    return call(io.mediamesh.common.api.CmsApi.PROGRAM_CREATE, new JsonObject().put("title", "Assets of "
      + UUID.randomUUID()), editor).getString("id");
  }

  /** PUTs bytes to a direct upload's presigned URL with the headers it was signed with; the store's status. */
  private int putStaged(JsonObject ticket, byte[] bytes) throws Exception {
    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(ticket.getString("uploadUrl")))
      .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    ticket.getJsonObject("uploadHeaders").forEach(h -> {
      if (!h.getKey().equalsIgnoreCase("content-length")) {
        put.header(h.getKey(), String.valueOf(h.getValue()));
      }
    });
    return http.send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** An episode in the real CMS. */
  private String episode() {
    return call(io.mediamesh.common.api.CmsApi.EPISODE_CREATE, new JsonObject().put("programId", program())
      .put("seasonNumber", 1).put("episodeNumber", 1).put("title", "Pilot"), editor).getString("id");
  }

  @Test
  void anAssetOfContentThatDoesNotExistIsRefusedAndLeavesNothing() throws Exception {
    java.util.Set<String> before = objects();
    HttpResponse<String> r = upload(editor, UUID.randomUUID().toString(), "image/png", png(64, 64));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getJsonObject("details").getJsonObject("fields")
      .getString("contentId")).isEqualTo("no such program");
    Await.until("the refused object removed", Duration.ofSeconds(10), () -> objects().equals(before));
    ServiceException direct = refused(MediaApi.UPLOADS_CREATE, new JsonObject().put("contentId",
      UUID.randomUUID().toString()).put("contentType", "EPISODE").put("mimeType", "image/png").put("sizeBytes", 10),
      editor);
    assertThat(direct.code()).isEqualTo(ErrorCode.UNPROCESSABLE);
  }

  private HttpResponse<String> upload(Caller caller, String contentId, String declared, byte[] bytes) throws Exception {
    return Multipart.post(uploadUrl, caller == null ? null : caller.token(),
      Map.of("contentId", contentId, "contentType", "PROGRAM"), declared, () -> new ByteArrayInputStream(bytes));
  }

  /** Every object key in the bucket (the tests run one at a time, so a difference is theirs). */
  private java.util.Set<String> objects() {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
      .collect(java.util.stream.Collectors.toSet());
  }

  private byte[] download(String url) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
      HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
    return r.body();
  }

  private JsonObject call(Operation<?> operation, JsonObject body, Caller caller) {
    return harness.call(operation, body, caller);
  }

  private ServiceException refused(Operation<?> operation, JsonObject body, Caller caller) {
    return harness.refused(operation, body, caller);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void anImageIsStoredWithItsFactsAndServedByteForByte() throws Exception {
    String contentId = program();
    byte[] image = png(800, 600);
    HttpResponse<String> r = upload(editor, contentId, "image/png", image);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonObject media = new JsonObject(r.body());
    assertThat(media.getString("status")).isEqualTo("READY");
    assertThat(media.getString("kind")).isEqualTo("IMAGE");
    assertThat(media.getString("mimeType")).isEqualTo("image/png");
    assertThat(media.getLong("sizeBytes")).isEqualTo(image.length);
    assertThat(media.getString("sha256")).isEqualTo(sha256(image));
    assertThat(media.getInteger("width")).isEqualTo(800);
    assertThat(media.getInteger("height")).isEqualTo(600);
    // the key is the service's own, whatever the client called the file
    assertThat(media.getString("storageKey")).isEqualTo("media/" + media.getString("id") + "/original");
    assertThat(download(media.getString("url"))).isEqualTo(image);
    String tampered = media.getString("url").replaceAll("(X-Amz-Signature=)[0-9a-f]", "$10");
    if (tampered.equals(media.getString("url"))) {
      tampered = media.getString("url").replaceAll("(X-Amz-Signature=)[0-9a-f]", "$11");
    }
    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(tampered)).build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
    JsonObject fetched = call(MediaApi.GET, new JsonObject().put("id", media.getString("id")), editor);
    assertThat(fetched.getString("sha256")).isEqualTo(media.getString("sha256"));
    assertThat(call(MediaApi.BY_CONTENT, new JsonObject().put("contentId", contentId), editor)
      .getJsonArray("items")).hasSize(1);
  }

  @Test
  void aFakeImageIsRefusedWith415AndLeavesNothing() throws Exception {
    String contentId = program();
    java.util.Set<String> before = objects();
    HttpResponse<String> r = upload(editor, contentId, "image/png", "<html>not a picture</html>".getBytes());
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message")).contains("file");
    // a real PNG declared as JPEG is a mismatch too
    assertThat(upload(editor, contentId, "image/jpeg", png(10, 10)).statusCode()).isEqualTo(415);
    Await.until("nothing left in storage", Duration.ofSeconds(5), () -> objects().equals(before));
    assertThat(call(MediaApi.BY_CONTENT, new JsonObject().put("contentId", contentId), editor)
      .getJsonArray("items")).isEmpty();
  }

  @Test
  void anOversizeFileIsRefusedWith413AndLeavesNothing() throws Exception {
    String contentId = program();
    java.util.Set<String> before = objects();
    byte[] start = png(64, 64);
    HttpResponse<String> r = Multipart.post(uploadUrl, editor.token(), Map.of("contentId", contentId,
      "contentType", "PROGRAM"), "image/png", () -> Multipart.generated(start, 3L * MAX_IMAGE));
    assertThat(r.statusCode()).isEqualTo(413);
    Await.until("no object left", Duration.ofSeconds(5), () -> objects().equals(before));
    assertThat(call(MediaApi.BY_CONTENT, new JsonObject().put("contentId", contentId), editor)
      .getJsonArray("items")).isEmpty();
  }

  @Test
  void aLargeVideoStreamsThroughAMultipartUpload() throws Exception {
    String contentId = episode();
    long size = 23L * 1024 * 1024; // five parts of 5 MiB
    HttpResponse<String> r = Multipart.post(uploadUrl, editor.token(), Map.of("contentId", contentId,
      "contentType", "EPISODE"), "video/mp4", () -> Multipart.generated(Multipart.mp4Header(), size));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonObject media = new JsonObject(r.body());
    assertThat(media.getString("kind")).isEqualTo("VIDEO");
    assertThat(media.getLong("sizeBytes")).isEqualTo(size);
    byte[] expected = Multipart.generated(Multipart.mp4Header(), size).readAllBytes();
    assertThat(media.getString("sha256")).isEqualTo(sha256(expected));
    assertThat(sha256(download(media.getString("url")))).isEqualTo(sha256(expected));
  }

  @Test
  void uploadsNeedAnEditorToken() throws Exception {
    String contentId = program();
    java.util.Set<String> before = objects();
    assertThat(upload(null, contentId, "image/png", png(10, 10)).statusCode()).isEqualTo(401);
    assertThat(upload(harness.caller(Role.USER), contentId, "image/png", png(10, 10)).statusCode()).isEqualTo(403);
    byte[] image = png(10, 10);
    HttpResponse<String> noFields = Multipart.post(uploadUrl, editor.token(), Map.of(), "image/png",
      () -> new ByteArrayInputStream(image));
    assertThat(noFields.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(noFields.body()).getJsonObject("error").getJsonObject("details")
      .getJsonObject("fields").fieldNames()).contains("contentId", "contentType");
    Await.until("nothing left in storage", Duration.ofSeconds(5), () -> objects().equals(before));
  }

  @Test
  void thumbnailsKeepTheAspectRatioWithinBounds() throws Exception {
    String contentId = program();
    JsonObject media = new JsonObject(upload(editor, contentId, "image/png", png(800, 600)).body());
    JsonObject withThumb = call(MediaApi.THUMBNAIL, new JsonObject().put("id", media.getString("id"))
      .put("width", 200).put("height", 200), editor);
    BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(download(withThumb.getString("thumbnailUrl"))));
    assertThat(thumb.getWidth()).isEqualTo(200);
    assertThat(thumb.getHeight()).isEqualTo(150);
    assertThat(call(MediaApi.GET, new JsonObject().put("id", media.getString("id")), editor).getString("thumbnailUrl"))
      .isNotNull();
    ServiceException tooBig = refused(MediaApi.THUMBNAIL, new JsonObject().put("id", media.getString("id"))
      .put("width", 5000).put("height", 10), editor);
    assertThat(tooBig.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(tooBig.details().getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("width", "height");
  }

  @Test
  void presignedDirectUploadIsVerifiedOnComplete() throws Exception {
    String contentId = program();
    byte[] image = png(320, 240);
    JsonObject ticket = call(MediaApi.UPLOADS_CREATE, new JsonObject().put("contentId", contentId)
      .put("contentType", "PROGRAM").put("mimeType", "image/png").put("sizeBytes", image.length), editor);
    String id = ticket.getJsonObject("media").getString("id");
    assertThat(ticket.getJsonObject("media").getString("status")).isEqualTo("PENDING");
    assertThat(refused(MediaApi.COMPLETE, new JsonObject().put("id", id), editor).code()).isEqualTo(ErrorCode.CONFLICT);

    // the signature binds the type: another type is refused by the store itself
    HttpRequest.Builder wrong = HttpRequest.newBuilder(URI.create(ticket.getString("uploadUrl")))
      .PUT(HttpRequest.BodyPublishers.ofByteArray(image)).header("Content-Type", "image/jpeg");
    assertThat(http.send(wrong.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);

    assertThat(putStaged(ticket, image)).isEqualTo(200);
    JsonObject ready = call(MediaApi.COMPLETE, new JsonObject().put("id", id), editor);
    assertThat(ready.getString("status")).isEqualTo("READY");
    assertThat(ready.getString("sha256")).isEqualTo(sha256(image));
    assertThat(ready.getInteger("width")).isEqualTo(320);
    assertThat(download(ready.getString("url"))).isEqualTo(image);
    HttpResponse<byte[]> served = http.send(HttpRequest.newBuilder(URI.create(ready.getString("url"))).build(),
      HttpResponse.BodyHandlers.ofByteArray());
    assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");

    // the presigned PUT is still valid: other bytes of the same type and length written after complete, and a
    // second complete, never reach what the asset's URL serves
    byte[] html = ("<html><script>alert(1)</script>" + " ".repeat(image.length)).substring(0, image.length)
      .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(putStaged(ticket, html)).isEqualTo(200);
    JsonObject again = call(MediaApi.COMPLETE, new JsonObject().put("id", id), editor);
    assertThat(again.getString("sha256")).isEqualTo(sha256(image));
    assertThat(download(again.getString("url"))).isEqualTo(image);
    assertThat(download(call(MediaApi.GET, new JsonObject().put("id", id), editor).getString("url"))).isEqualTo(image);
    assertThat(objects()).as("the staging copy is gone").noneMatch(k -> k.equals("media/" + id + "/staging"));

    ServiceException tooLarge = refused(MediaApi.UPLOADS_CREATE, new JsonObject().put("contentId", contentId)
      .put("contentType", "PROGRAM").put("mimeType", "image/png").put("sizeBytes", MAX_IMAGE + 1), editor);
    assertThat(tooLarge.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(refused(MediaApi.UPLOADS_CREATE, new JsonObject().put("contentId", contentId)
      .put("contentType", "PROGRAM").put("mimeType", "text/html").put("sizeBytes", 10), editor).code())
      .isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
  }

  /** A PNG whose header announces {@code width x height} pixels, with no pixels at all: a decompression bomb's face. */
  static byte[] pngHeader(int width, int height) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
      .put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    crc.update(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.write(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void anImageAnnouncingTooManyPixelsIsRefusedBeforeAnyDecodeAndLeavesNothing() throws Exception {
    java.util.Set<String> before = objects();
    byte[] bomb = pngHeader(20_000, 20_000);
    HttpResponse<String> r = upload(editor, program(), "image/png", bomb);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message"))
      .contains("20000x20000").contains("40000000 pixels");
    Await.until("the refused object removed", Duration.ofSeconds(10), () -> objects().equals(before));

    // the same through a direct upload: refused on complete, nothing left
    JsonObject ticket = call(MediaApi.UPLOADS_CREATE, new JsonObject().put("contentId", program())
      .put("contentType", "PROGRAM").put("mimeType", "image/png").put("sizeBytes", bomb.length), editor);
    assertThat(putStaged(ticket, bomb)).isEqualTo(200);
    ServiceException refusal = refused(MediaApi.COMPLETE, new JsonObject().put("id",
      ticket.getJsonObject("media").getString("id")), editor);
    assertThat(refusal.code()).isEqualTo(ErrorCode.UNPROCESSABLE);
    assertThat(objects()).isEqualTo(before);
  }

  @Test
  void aLargeImagesThumbnailIsDecodedSubsampledAndKeepsItsShape() throws Exception {
    JsonObject media = new JsonObject(upload(editor, program(), "image/png", png(4000, 3000))
      .body());
    JsonObject withThumb = call(MediaApi.THUMBNAIL, new JsonObject().put("id", media.getString("id"))
      .put("width", 100).put("height", 100), editor);
    BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(download(withThumb.getString("thumbnailUrl"))));
    assertThat(thumb.getWidth()).isEqualTo(100);
    assertThat(thumb.getHeight()).isEqualTo(75);
    // the oval in the middle is still blue, the corner orange: the same picture, only smaller
    assertThat(new Color(thumb.getRGB(50, 37)).getBlue()).isGreaterThan(200);
    assertThat(new Color(thumb.getRGB(2, 2)).getRed()).isGreaterThan(200);
  }

  @Test
  void deleteLeavesNeitherObjectNorRow() throws Exception {
    String contentId = program();
    java.util.Set<String> before = objects();
    JsonObject media = new JsonObject(upload(editor, contentId, "image/png", png(300, 300)).body());
    String id = media.getString("id");
    call(MediaApi.THUMBNAIL, new JsonObject().put("id", id).put("width", 64).put("height", 64), editor);
    assertThat(objects()).hasSize(before.size() + 2);
    assertThat(refused(MediaApi.DELETE, new JsonObject().put("id", id), editor).code()).isEqualTo(ErrorCode.FORBIDDEN);
    call(MediaApi.DELETE, new JsonObject().put("id", id), admin);
    assertThat(objects()).isEqualTo(before);
    assertThat(refused(MediaApi.GET, new JsonObject().put("id", id), editor).code()).isEqualTo(ErrorCode.NOT_FOUND);
    Await.until("media.deleted published", Duration.ofSeconds(15), () -> events.poll().stream()
      .anyMatch(rec -> id.equals(rec.key())
        && EventEnvelope.decode(Buffer.buffer(rec.value())).type().equals("media.deleted")));
    List<String> types = events.afterOutbox(harness.platform(), "media", Duration.ofSeconds(15)).stream().filter(rec -> id.equals(rec.key()))
      .map(rec -> EventEnvelope.decode(Buffer.buffer(rec.value())).type()).toList();
    assertThat(types).containsExactly("media.uploaded", "media.ready", "media.ready", "media.deleted");
  }

  @Test
  void aMultipartUploadWithBadFieldsLeavesNothing() throws Exception {
    java.util.Set<String> before = objects();
    HttpResponse<String> r = Multipart.post(uploadUrl, editor.token(), Map.of("contentId", "not-a-uuid",
      "contentType", "EPISODE"), "video/mp4", () -> Multipart.generated(Multipart.mp4Header(), 12L * 1024 * 1024));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getJsonObject("details").getJsonObject("fields")
      .fieldNames()).containsExactly("contentId");
    Await.until("the completed multipart object removed", Duration.ofSeconds(10), () -> objects().equals(before));
  }
}
