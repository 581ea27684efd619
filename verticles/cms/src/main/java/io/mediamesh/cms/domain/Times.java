package io.mediamesh.cms.domain;

import java.time.OffsetDateTime;

final class Times {

  private Times() {
  }

  /** ISO-8601 in UTC, or null. */
  static String text(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
