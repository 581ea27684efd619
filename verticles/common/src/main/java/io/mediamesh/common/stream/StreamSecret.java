package io.mediamesh.common.stream;

import io.mediamesh.common.auth.DevSecrets;
import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;

/**
 * The secret that signs stream tokens: playback signs with it, the discovery gateway verifies. Both read it from
 * {@code stream.signingKey} ({@code MEDIAMESH_STREAM_SIGNING_KEY}, at least 32 characters); without one (development)
 * it is generated once into {@code auth.devSecretsDir/stream-signing.secret} and shared by every service started
 * from the same directory. Services on different machines without a configured key sign with different ones, and
 * every stream is refused: this fails closed.
 */
public final class StreamSecret {

  public static final int MIN_LENGTH = 32;

  private StreamSecret() {
  }

  /** Blocking (it may read or create a file): call on a worker thread. */
  public static String resolve(JsonObject root) {
    String configured = root.getJsonObject("stream", new JsonObject()).getString("signingKey", "");
    if (!configured.isBlank()) {
      if (configured.strip().length() < MIN_LENGTH) {
        throw new ConfigException("stream.signingKey must be at least " + MIN_LENGTH + " characters");
      }
      return configured.strip();
    }
    return DevSecrets.resolve(DevSecrets.dir(root), "stream-signing.secret", MIN_LENGTH, "stream.signingKey");
  }
}
