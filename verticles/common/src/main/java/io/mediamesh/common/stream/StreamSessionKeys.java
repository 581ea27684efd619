package io.mediamesh.common.stream;

import java.util.UUID;

/**
 * Where a playback session lives in Redis while it runs, and the bus address its end is announced on: playback
 * writes both, the discovery gateway reads them, so stream bytes stop when their session does (stopped, evicted by
 * a newer one, refused at a heartbeat, or silent for two heartbeat intervals), not only when the token expires.
 */
public final class StreamSessionKeys {

  /** Published (cluster-wide) with the session id when playback ends a session. */
  public static final String ENDED_ADDRESS = "mediamesh.playback.sessions.ended";

  private StreamSessionKeys() {
  }

  /** Holds the running session's state; gone when it ends or misses two heartbeats. */
  public static String session(UUID id) {
    return "mm:pb:session:" + id;
  }

  /** The prefix of the markers of sessions ended to make room for a newer one (their next heartbeat says why). */
  public static final String EVICTED_PREFIX = "mm:pb:evicted:";

  public static String evicted(UUID id) {
    return EVICTED_PREFIX + id;
  }
}
