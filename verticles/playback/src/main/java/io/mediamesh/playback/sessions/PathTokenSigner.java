package io.mediamesh.playback.sessions;

import io.mediamesh.common.stream.PathTokens;

import java.time.Instant;
import java.util.UUID;

/** Signs {@code <base>/stream/<token>/<entry>}: one token covers every playlist and segment under the prefix. */
public final class PathTokenSigner implements StreamSigner {

  private final PathTokens tokens;
  private final String baseUrl;

  /** {@code baseUrl}: the gateway's public address, or empty for URLs relative to it. */
  public PathTokenSigner(PathTokens tokens, String baseUrl) {
    this.tokens = tokens;
    this.baseUrl = baseUrl;
  }

  @Override
  public String manifestUrl(UUID session, String prefix, String entry, Instant expiresAt) {
    return baseUrl + "/stream/" + tokens.sign(session, prefix, expiresAt) + "/" + entry;
  }
}
