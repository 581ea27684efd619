package io.mediamesh.common.auth;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** What every verifier agrees on: who issues access tokens, for which audience, and the clock skew tolerated. */
public record TokenConfig(String issuer, String audience, Duration clockSkew) {

  public static TokenConfig from(JsonObject root) {
    JsonObject auth = root.getJsonObject("auth");
    if (auth == null) {
      throw new ConfigException("config section 'auth' is missing");
    }
    String issuer = auth.getString("issuer", "");
    String audience = auth.getString("audience", "");
    if (issuer.isBlank() || audience.isBlank()) {
      throw new ConfigException("config 'auth.issuer' and 'auth.audience' must be set");
    }
    return new TokenConfig(issuer, audience, Duration.ofSeconds(auth.getInteger("clockSkewSeconds", 30)));
  }
}
