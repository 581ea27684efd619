package io.mediamesh.media.domain;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A tus upload's state: where the tail starts, what a PATCH may bring, when it expires; on a fixed clock. */
class TusUploadTest {

  private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final int PART = 5;
  private static final Duration EXPIRY = Duration.ofHours(1);

  private static TusUpload at(long offset, int parts) {
    return TusUpload.create(UUID.randomUUID(), 12, null, PART, "u", T0, EXPIRY)
      .advanced(java.util.Collections.nCopies(parts, "etag"), offset, "video/mp4", T0, EXPIRY);
  }

  @Test
  void theTailIsWhatCameAfterTheLastFullPart() {
    // offset, parts -> tail start, tail bytes, complete
    Object[][] table = {
      {0L, 0, 0L, 0, false},
      {3L, 0, 0L, 3, false},
      {5L, 1, 5L, 0, false},
      {9L, 1, 5L, 4, false},
      {12L, 3, 15L, 0, true}, // the last part is shorter
    };
    for (Object[] row : table) {
      TusUpload u = at((Long) row[0], (Integer) row[1]);
      assertThat(u.tailStart()).as("tail start at %s", row[0]).isEqualTo(row[2]);
      assertThat(u.tailBytes()).as("tail at %s", row[0]).isEqualTo(row[3]);
      assertThat(u.complete()).as("complete at %s", row[0]).isEqualTo(row[4]);
    }
  }

  @Test
  void aPatchStartsAtTheOffsetAndEndsAtTheLength() {
    TusUpload u = at(9, 1);
    u.checkOffset(9);
    ServiceException wrong = catchThrowableOfType(() -> u.checkOffset(5), ServiceException.class);
    assertThat(wrong.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(wrong.details().getLong("offset")).isEqualTo(9);
    u.checkFits(3);
    u.checkFits(0);
    ServiceException over = catchThrowableOfType(() -> u.checkFits(4), ServiceException.class);
    assertThat(over.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(over.details().getJsonObject("fields").fieldNames()).containsExactly("Upload-Length");
  }

  @Test
  void itExpiresAnExpiryAfterItsLastPatch() {
    TusUpload created = TusUpload.create(UUID.randomUUID(), 12, null, PART, "u", T0, EXPIRY);
    assertThat(created.expiresAt()).isEqualTo(T0.plus(EXPIRY));
    assertThat(created.expired(T0.plus(EXPIRY).minusNanos(1000))).isFalse();
    assertThat(created.expired(T0.plus(EXPIRY))).isTrue();
    TusUpload patched = created.advanced(List.of(), 3, null, T0.plusMinutes(50), EXPIRY);
    assertThat(patched.expiresAt()).isEqualTo(T0.plusMinutes(50).plus(EXPIRY));
    assertThat(patched.expired(T0.plus(EXPIRY))).isFalse();
    assertThat(patched.createdAt()).isEqualTo(T0);
  }
}
