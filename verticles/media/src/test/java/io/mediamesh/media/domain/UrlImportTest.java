package io.mediamesh.media.domain;

import io.mediamesh.common.api.MediaApi.ImportStatus;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of an import's resumable state, as tables. */
class UrlImportTest {

  private static final int PART = 5 * 1024 * 1024;
  private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

  private static UrlImport queued() {
    return UrlImport.queued(UUID.randomUUID(), UUID.randomUUID(), "https://example.org/a.mp4", null, "editor-1",
      PART, NOW);
  }

  @Test
  void aResumeSendsTheStrongEtagOrElseTheLastModifiedNeverAWeakEtag() {
    String date = "Wed, 01 Jan 2025 00:00:01 GMT";
    assertThat(UrlImport.validator("\"abc\"", date)).isEqualTo("\"abc\"");
    assertThat(UrlImport.validator(" \"abc\" ", null)).isEqualTo("\"abc\"");
    assertThat(UrlImport.validator("W/\"abc\"", date)).as("weak: not for If-Range").isEqualTo(date);
    assertThat(UrlImport.validator(null, date)).isEqualTo(date);
    assertThat(UrlImport.validator("W/\"abc\"", null)).isNull();
    assertThat(UrlImport.validator("", " ")).isNull();
  }

  @Test
  void aContentRangeGivesWhereItStartsAndTheFilesSize() {
    assertThat(UrlImport.rangeStart("bytes 5242880-6815743/6815744")).isEqualTo(OptionalLong.of(PART));
    assertThat(UrlImport.rangeTotal("bytes 5242880-6815743/6815744")).isEqualTo(6_815_744L);
    assertThat(UrlImport.rangeStart("Bytes 0-9/*")).isEqualTo(OptionalLong.of(0));
    assertThat(UrlImport.rangeTotal("bytes 0-9/*")).as("size unknown").isNull();
    for (String bad : new String[] {null, "", "bytes */100", "items 0-9/10", "bytes 5-/10", "bytes a-b/c"}) {
      assertThat(UrlImport.rangeStart(bad)).as(String.valueOf(bad)).isEmpty();
      assertThat(UrlImport.rangeTotal(bad)).as(String.valueOf(bad)).isNull();
    }
  }

  @Test
  void aDownloadGoesOnFromItsLastStoredPartOnlyWithAValidator() {
    UrlImport fresh = queued();
    assertThat(fresh.status()).isEqualTo(ImportStatus.QUEUED);
    assertThat(fresh.resumeOffset()).isZero();

    UrlImport answered = fresh.restarted("\"v1\"", 7_000_000L);
    UrlImport begun = answered.begun("upload-1", "video/mp4");
    assertThat(begun.resumeOffset()).as("no part stored yet").isZero();
    UrlImport onePart = begun.stored("etag-1", PART);
    assertThat(onePart.bytes()).isEqualTo(PART);
    assertThat(onePart.partEtags()).containsExactly("etag-1");
    assertThat(onePart.resumeOffset()).isEqualTo(PART);
    assertThat(onePart.stored("etag-2", 2L * PART).resumeOffset()).isEqualTo(2L * PART);

    UrlImport noValidator = fresh.restarted(null, null).begun("upload-2", "video/mp4").stored("etag-1", PART);
    assertThat(noValidator.resumeOffset()).as("nothing to ask the source whether the file is the same")
      .isZero();

    assertThat(onePart.allStored()).isFalse();
    UrlImport whole = onePart.stored("etag-2", 7_000_000L);
    assertThat(whole.allStored()).as("the announced size is reached").isTrue();
    assertThat(whole.resumeOffset()).as("nothing left to download").isZero();
    UrlImport unknownSize = fresh.restarted("\"v1\"", null).begun("u", "video/mp4").stored("e1", PART);
    assertThat(unknownSize.allStored()).isFalse();
    assertThat(unknownSize.stored("e2", PART + 10).allStored()).as("a short part ends a file").isTrue();

    UrlImport again = onePart.restarted("\"v2\"", 6_000_000L);
    assertThat(again.storageUploadId()).isNull();
    assertThat(again.partEtags()).isEmpty();
    assertThat(again.bytes()).isZero();
    assertThat(again.mimeType()).isNull();
    assertThat(again.validator()).isEqualTo("\"v2\"");
    assertThat(again.totalBytes()).isEqualTo(6_000_000L);
  }

  @Test
  void theViewHasWhatTheContractNames() {
    UrlImport i = queued().restarted("\"v1\"", 10L).begun("u", "video/mp4").stored("e", 10);
    assertThat(i.toJson().fieldNames()).containsExactlyInAnyOrder("id", "mediaId", "url", "sha256", "status",
      "bytes", "totalBytes", "attempts", "error", "createdBy", "createdAt", "updatedAt");
    assertThat(i.toJson().getString("createdAt")).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(i.toJson().getLong("bytes")).isEqualTo(10L);
  }
}
