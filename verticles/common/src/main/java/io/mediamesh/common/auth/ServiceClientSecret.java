package io.mediamesh.common.auth;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;


/**
 * The secret with which a service client (a service that acts on its own, like ingest running a scheduled job)
 * obtains an access token for its service account from the auth service. Both sides read it from the same key,
 * {@code auth.serviceClients.<client>} ({@code MEDIAMESH_AUTH_SERVICE_CLIENTS_<CLIENT>}), at least 32 characters.
 * <p>
 * No secret is written in code or defaults. When none is configured (development), one is generated once into
 * {@code auth.devSecretsDir/<client>.secret} (owner-only permissions) and read from there by every service started
 * from the same directory, like the development signing key that auth keeps in its database. Services on
 * different machines without a configured secret get different ones and the token request is refused: this fails
 * closed, never open.
 */
public final class ServiceClientSecret {

  public static final int MIN_LENGTH = 32;

  private ServiceClientSecret() {
  }

  /** Blocking (it may read or create a file): call on a worker thread. */
  public static String resolve(JsonObject root, String client) {
    if (!client.matches("[a-z][a-z0-9-]{0,40}")) {
      throw new ConfigException("service client name '" + client + "' must be lower-case letters, digits, dashes");
    }
    JsonObject auth = root.getJsonObject("auth", new JsonObject());
    String configured = auth.getJsonObject("serviceClients", new JsonObject()).getString(client, "");
    if (!configured.isBlank()) {
      if (configured.strip().length() < MIN_LENGTH) {
        throw new ConfigException("auth.serviceClients." + client + " must be at least " + MIN_LENGTH
          + " characters");
      }
      return configured.strip();
    }
    return DevSecrets.resolve(DevSecrets.dir(root), client + ".secret", MIN_LENGTH, "auth.serviceClients." + client);
  }

}
