package io.mediamesh.media.upload;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The tus headers as the server reads them: every bad one a 400 (412 for the version) naming it. */
class TusHeadersTest {

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static ServiceException refused(Runnable read) {
    ServiceException e = catchThrowableOfType(read::run, ServiceException.class);
    assertThat(e).as("refused").isNotNull();
    return e;
  }

  private static String field(ServiceException e) {
    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
    return e.details().getJsonObject("fields").fieldNames().iterator().next();
  }

  @Test
  void metadataIsPairsOfAKeyAndABase64Utf8Value() {
    assertThat(TusHeaders.metadata("contentId " + b64("abc") + ",filename " + b64("Épisode 1.mp4") + ",is_draft"))
      .isEqualTo(Map.of("contentId", "abc", "filename", "Épisode 1.mp4", "is_draft", ""));
    assertThat(TusHeaders.metadata(null)).isEmpty();
    assertThat(TusHeaders.metadata("  ")).isEmpty();
    for (String bad : new String[] {"contentId !!!", "a b c", " , ", "k " + b64("x") + ",k " + b64("y"),
      "k " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe})}) {
      assertThat(field(refused(() -> TusHeaders.metadata(bad)))).as(bad).isEqualTo("Upload-Metadata");
    }
  }

  @Test
  void aChecksumNamesAKnownAlgorithmAndADigestOfItsLength() throws Exception {
    byte[] sha1 = MessageDigest.getInstance("SHA-1").digest("body".getBytes());
    TusHeaders.Checksum checksum = TusHeaders.checksum("sha1 " + Base64.getEncoder().encodeToString(sha1));
    assertThat(checksum.algorithm()).isEqualTo("sha1");
    assertThat(checksum.matches(checksum.digest().digest("body".getBytes()))).isTrue();
    assertThat(checksum.matches(checksum.digest().digest("other".getBytes()))).isFalse();
    assertThat(TusHeaders.checksum("SHA256 " + Base64.getEncoder().encodeToString(new byte[32])).algorithm())
      .isEqualTo("sha256");
    assertThat(TusHeaders.checksum(null)).isNull();
    for (String bad : new String[] {"crc32 AAAA", "sha1", "sha1 not*base64", "sha1 " + b64("short"),
      "sha256 " + Base64.getEncoder().encodeToString(sha1)}) {
      assertThat(field(refused(() -> TusHeaders.checksum(bad)))).as(bad).isEqualTo("Upload-Checksum");
    }
  }

  @Test
  void lengthsAndOffsetsAreWholeNumbersOfBytes() {
    assertThat(TusHeaders.bytes("0", "Upload-Offset")).isZero();
    assertThat(TusHeaders.bytes(" 5368709120 ", "Upload-Length")).isEqualTo(5368709120L);
    assertThat(TusHeaders.bytes(null, "Upload-Length")).isNull();
    for (String bad : new String[] {"-1", "1.5", "ten", "", "99999999999999999999"}) {
      assertThat(field(refused(() -> TusHeaders.bytes(bad, "Upload-Offset")))).as(bad).isEqualTo("Upload-Offset");
    }
  }

  @Test
  void onlyVersionOneIsSpoken() {
    TusHeaders.requireVersion("1.0.0");
    assertThat(refused(() -> TusHeaders.requireVersion(null)).code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
    assertThat(refused(() -> TusHeaders.requireVersion("0.2.2")).getMessage()).contains("0.2.2").contains("1.0.0");
  }

  @Test
  void expiryIsAnHttpDate() {
    assertThat(TusHeaders.httpDate(OffsetDateTime.of(2025, 6, 5, 16, 7, 8, 0, ZoneOffset.ofHours(2))))
      .isEqualTo("Thu, 05 Jun 2025 14:07:08 GMT");
  }
}
