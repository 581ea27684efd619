package io.mediamesh.auth;

import io.mediamesh.common.auth.TokenConfig;
import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** The auth service's settings (section {@code auth}, plus {@code admin} for the first administrator). */
public record AuthConfig(TokenConfig token, Duration accessTokenTtl, Duration refreshTokenTtl, String signingKeyPem,
                         String signingKeyId, int argon2MemoryKib, int argon2Iterations, int argon2Parallelism,
                         String adminEmail, String adminPassword, int passwordConcurrency, int passwordQueue) {

  public static AuthConfig from(JsonObject root) {
    JsonObject auth = root.getJsonObject("auth");
    JsonObject admin = root.getJsonObject("admin", new JsonObject());
    if (auth == null) {
      throw new ConfigException("config section 'auth' is missing");
    }
    AuthConfig config = new AuthConfig(TokenConfig.from(root),
      Duration.ofSeconds(auth.getInteger("accessTokenTtlSeconds", 900)),
      Duration.ofSeconds(auth.getInteger("refreshTokenTtlSeconds", 2_592_000)),
      auth.getString("signingKeyPem", ""), auth.getString("signingKeyId", ""),
      auth.getInteger("argon2MemoryKib", 19_456), auth.getInteger("argon2Iterations", 2),
      auth.getInteger("argon2Parallelism", 1),
      admin.getString("email", ""), admin.getString("password", ""),
      auth.getInteger("passwordConcurrency", 0) > 0 ? auth.getInteger("passwordConcurrency")
        : Runtime.getRuntime().availableProcessors(),
      auth.getInteger("passwordQueue", -1));
    if (config.passwordQueue < 0) {
      // by default eight checks wait per worker: a bounded wait of about eight checks' time
      config = new AuthConfig(config.token, config.accessTokenTtl, config.refreshTokenTtl, config.signingKeyPem,
        config.signingKeyId, config.argon2MemoryKib, config.argon2Iterations, config.argon2Parallelism,
        config.adminEmail, config.adminPassword, config.passwordConcurrency, 8 * config.passwordConcurrency);
    }
    if (config.accessTokenTtl.isNegative() || config.accessTokenTtl.isZero()
      || config.accessTokenTtl.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException("auth.accessTokenTtlSeconds must be between 1 and 3600");
    }
    if (config.argon2MemoryKib < 8 * 1024 || config.argon2Iterations < 1 || config.argon2Parallelism < 1) {
      throw new ConfigException("auth.argon2* below the safe minimum (8 MiB, 1 iteration, 1 lane)");
    }
    return config;
  }

  @Override
  public String toString() {
    return "AuthConfig[" + token + ", accessTtl=" + accessTokenTtl + "]"; // never the key or the password
  }
}
