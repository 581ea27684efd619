package io.mediamesh.media;

import io.mediamesh.common.api.ById;
import io.mediamesh.common.api.Limits;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The media API's requests, read as the gateway and the service both read them: each bad field named. */
class MediaRequestsTest {

  private static final String ID = UUID.randomUUID().toString();

  private static JsonObject fields(Runnable read) {
    ServiceException e = catchThrowableOfType(read::run, ServiceException.class);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
    return e.details().getJsonObject("fields");
  }

  @Test
  void aDirectUploadNamesEachBadField() {
    JsonObject bad = fields(() -> MediaApi.UploadCreate.from(new JsonObject().put("contentId", "nope")
      .put("contentType", "SERIES").put("mimeType", "x").put("sizeBytes", 0)));
    assertThat(bad.fieldNames()).containsExactly("contentId", "contentType", "mimeType", "sizeBytes");
    assertThat(bad.getString("contentId")).isEqualTo("must be a UUID");
    assertThat(bad.getString("contentType")).isEqualTo("must be PROGRAM or EPISODE");
    assertThat(bad.getString("mimeType")).isEqualTo("must be " + Limits.MIME_TYPE_MIN + " to "
      + Limits.MIME_TYPE_MAX + " characters");
    assertThat(bad.getString("sizeBytes")).startsWith("must be a whole number from " + Limits.SIZE_BYTES_MIN);

    JsonObject missing = fields(() -> MediaApi.UploadCreate.from(new JsonObject()));
    assertThat(missing.fieldNames()).containsExactly("contentId", "contentType", "mimeType", "sizeBytes");
    assertThat(missing).allSatisfy(e -> assertThat(e.getValue()).isEqualTo("is required"));
    assertThat(fields(() -> MediaApi.UploadCreate.from(new JsonObject().put("contentId", ID)
      .put("contentType", "PROGRAM").put("mimeType", "m".repeat(Limits.MIME_TYPE_MAX + 1)).put("sizeBytes", 1)))
      .fieldNames()).containsExactly("mimeType");
  }

  @Test
  void aDirectUploadRoundTripsAsSentAndLeavesTypeAndSizeRulesToTheService() {
    JsonObject body = new JsonObject().put("contentId", ID).put("contentType", "EPISODE")
      .put("mimeType", "text/html").put("sizeBytes", 5L << 40);
    MediaApi.UploadCreate q = MediaApi.UploadCreate.from(body);
    assertThat(q.sizeBytes()).isEqualTo(5L << 40);
    assertThat(q.toJson()).isEqualTo(body);
    assertThat(MediaApi.UploadCreate.from(q.toJson())).isEqualTo(q);
  }

  @Test
  void aTusCreationNamesEachBadPairOfItsMetadataAndItsLength() {
    JsonObject bad = fields(() -> MediaApi.TusCreate.from(new JsonObject().put("contentId", "nope")
      .put("contentType", "SERIES").put("filetype", "x").put("filename", "f".repeat(256))
      .put("Upload-Length", 0)));
    assertThat(bad.fieldNames()).containsExactly("contentId", "contentType", "filetype", "filename", "Upload-Length");
    assertThat(bad.getString("filetype")).isEqualTo("must be " + Limits.MIME_TYPE_MIN + " to "
      + Limits.MIME_TYPE_MAX + " characters");
    assertThat(bad.getString("Upload-Length")).startsWith("must be a whole number from " + Limits.SIZE_BYTES_MIN);
    JsonObject missing = fields(() -> MediaApi.TusCreate.from(new JsonObject()));
    assertThat(missing.fieldNames()).containsExactly("contentId", "contentType", "filetype", "Upload-Length");

    MediaApi.TusCreate ok = MediaApi.TusCreate.from(new JsonObject().put("contentId", ID).put("contentType", "EPISODE")
      .put("filetype", "video/mp4").put("Upload-Length", 5L << 30).put("name", "ignored"));
    assertThat(ok.filename()).isNull();
    assertThat(ok.uploadLength()).isEqualTo(5L << 30);
    assertThat(MediaApi.TusCreate.from(ok.toJson())).isEqualTo(ok);
  }

  @Test
  void aThumbnailNamesEachSideOutOfTheApisLimits() {
    JsonObject bad = fields(() -> MediaApi.Thumbnail.from(new JsonObject().put("id", ID)
      .put("width", Limits.THUMBNAIL_MAX + 1).put("height", Limits.THUMBNAIL_MIN - 1)));
    assertThat(bad.fieldNames()).containsExactlyInAnyOrder("width", "height");
    assertThat(bad.getString("width")).isEqualTo("must be a whole number from " + Limits.THUMBNAIL_MIN + " to "
      + Limits.THUMBNAIL_MAX);
    assertThat(fields(() -> MediaApi.Thumbnail.from(new JsonObject())).fieldNames())
      .containsExactly("id", "width", "height");
    MediaApi.Thumbnail ok = MediaApi.Thumbnail.from(new JsonObject().put("id", ID).put("width", 200)
      .put("height", Limits.THUMBNAIL_MAX));
    assertThat(MediaApi.Thumbnail.from(ok.toJson())).isEqualTo(ok);
  }

  @Test
  void anImportNamesEachBadFieldAndKeepsItsUrlInNormalForm() {
    JsonObject bad = fields(() -> MediaApi.ImportCreate.from(new JsonObject().put("url", "file:///etc/passwd")
      .put("contentId", "nope").put("contentType", "SERIES").put("sha256", "ab".repeat(31) + "zz")));
    assertThat(bad.fieldNames()).containsExactly("url", "contentId", "contentType", "sha256");
    assertThat(bad.getString("url")).isEqualTo("must be an absolute http or https URL with a host and no user info, "
      + "at most " + Limits.URL_MAX + " characters");
    assertThat(bad.getString("sha256")).isEqualTo("must be " + Limits.SHA256_HEX + " hexadecimal digits");
    assertThat(fields(() -> MediaApi.ImportCreate.from(new JsonObject())).fieldNames())
      .containsExactly("url", "contentId", "contentType");
    for (String url : List.of("https://user:secret@example.org/a.mp4", "http:///a.mp4", "example.org/a.mp4",
      "https://example.org/" + "x".repeat(Limits.URL_MAX))) {
      assertThat(fields(() -> MediaApi.ImportCreate.from(new JsonObject().put("url", url).put("contentId", ID)
        .put("contentType", "PROGRAM"))).fieldNames()).as(url).containsExactly("url");
    }
    assertThat(fields(() -> MediaApi.ImportCreate.from(new JsonObject().put("url", "https://example.org/a.mp4")
      .put("contentId", ID).put("contentType", "PROGRAM").put("sha256", "a".repeat(65)))).fieldNames())
      .containsExactly("sha256");

    MediaApi.ImportCreate ok = MediaApi.ImportCreate.from(new JsonObject()
      .put("url", "HTTPS://Media.Example.ORG:443/a.mp4#t").put("contentId", ID).put("contentType", "EPISODE")
      .put("sha256", "AB".repeat(32)));
    assertThat(ok.url()).hasToString("https://media.example.org/a.mp4");
    assertThat(ok.sha256()).isEqualTo("ab".repeat(32));
    assertThat(MediaApi.ImportCreate.from(ok.toJson())).isEqualTo(ok);
    assertThat(MediaApi.ImportCreate.from(new JsonObject().put("url", "http://example.org/a.mp4").put("contentId", ID)
      .put("contentType", "PROGRAM")).toJson().containsKey("sha256")).isFalse();
  }

  @Test
  void readsByIdAndByContentNameTheirOneField() {
    assertThat(fields(() -> MediaApi.GET.read(new JsonObject())).getString("id")).isEqualTo("is required");
    assertThat(fields(() -> MediaApi.BY_CONTENT.read(new JsonObject().put("contentId", "x")))
      .getString("contentId")).isEqualTo("must be a UUID");
    assertThat(MediaApi.COMPLETE.read(new JsonObject().put("id", ID))).isEqualTo(new ById(UUID.fromString(ID)));
    assertThat(MediaApi.BY_CONTENT.read(new JsonObject().put("contentId", ID)).toJson())
      .isEqualTo(new JsonObject().put("contentId", ID));
  }

  @Test
  void editorsUseMediaAndOnlyAdminsDeleteIt() {
    assertThat(MediaApi.UPLOADS_CREATE.access().roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.EDITOR);
    assertThat(MediaApi.UPLOAD_ACCESS).isEqualTo(MediaApi.UPLOADS_CREATE.access());
    assertThat(MediaApi.DELETE.access().roles()).containsExactly(Role.ADMIN);
    assertThat(MediaApi.THUMBNAIL.address()).isEqualTo("mediamesh.media.thumbnail");
    for (var op : List.of(MediaApi.IMPORTS_CREATE, MediaApi.IMPORTS_GET)) {
      assertThat(op.access().roles()).as(op.address()).containsExactlyInAnyOrder(Role.ADMIN, Role.EDITOR);
    }
    assertThat(MediaApi.IMPORTS_CREATE.address()).isEqualTo("mediamesh.media.imports.create");
    assertThat(MediaApi.IMPORTS_GET.address()).isEqualTo("mediamesh.media.imports.get");
  }
}
