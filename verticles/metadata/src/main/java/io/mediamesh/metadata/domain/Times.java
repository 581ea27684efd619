package io.mediamesh.metadata.domain;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Metadata's times: read from the injected clock, kept as PostgreSQL keeps them. */
public final class Times {

  private Times() {
  }

  /** Now, to the microsecond (what PostgreSQL keeps, so snapshots in events equal what is read back), in UTC. */
  public static OffsetDateTime now(Clock clock) {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
