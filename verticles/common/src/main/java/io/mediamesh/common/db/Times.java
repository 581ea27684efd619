package io.mediamesh.common.db;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Times as the services keep and show them: read from the injected clock, to PostgreSQL's precision, in UTC. */
public final class Times {

  private Times() {
  }

  /** Now, to the microsecond (what PostgreSQL keeps, so snapshots in events equal what is read back), in UTC. */
  public static OffsetDateTime now(Clock clock) {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  /** ISO-8601 in UTC, or null. */
  public static String text(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
