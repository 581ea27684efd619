package io.mediamesh.ingest.domain;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Timestamps as the API shows them (ISO-8601 UTC) and as PostgreSQL keeps them (microseconds). */
public final class Times {

  private Times() {
  }

  public static String text(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  /** Now on the injected clock, to the microsecond (what PostgreSQL keeps), in UTC. */
  public static OffsetDateTime now(Clock clock) {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
