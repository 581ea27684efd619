package io.mediamesh.playback.sessions;

import java.time.Instant;
import java.util.UUID;

/**
 * Makes the URL a player starts a session's stream from. The built-in signer ({@link PathTokenSigner}) signs a path
 * prefix that the discovery gateway's {@code /stream} verifies; a CDN's signer (signed URLs or cookies) replaces it
 * here without the rest of playback knowing.
 */
public interface StreamSigner {

  /**
   * The manifest URL of a session: {@code entry} (the master playlist's name) under the storage {@code prefix},
   * valid until {@code expiresAt}.
   */
  String manifestUrl(UUID session, String prefix, String entry, Instant expiresAt);
}
