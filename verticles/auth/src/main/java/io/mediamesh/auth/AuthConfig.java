package io.mediamesh.auth;

import io.mediamesh.common.auth.DevSecrets;
import io.mediamesh.common.auth.TokenConfig;
import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The auth service's settings (section {@code auth}, plus {@code admin} for the first administrator), read once.
 *
 * @param passwordConcurrency password checks run at once (default: one per core)
 * @param passwordQueue       password checks that may wait (default: eight per worker, about eight checks' time)
 * @param serviceClients      the configured service clients ({@code auth.serviceClients.<client>}); their secrets are
 *                            resolved at start ({@code ServiceClientSecret}), as the clients resolve them
 * @param devSecretsDir       where development secrets live ({@code auth.devSecretsDir})
 * @param pinAttempts         wrong profile PINs in a row that lock the profile ({@code auth.pinAttempts}, 5)
 * @param pinLock             how long a profile stays locked then ({@code auth.pinLockSeconds}, 15 minutes)
 */
public record AuthConfig(TokenConfig token, Duration accessTokenTtl, Duration refreshTokenTtl, String signingKeyPem,
                         String signingKeyId, int argon2MemoryKib, int argon2Iterations, int argon2Parallelism,
                         String adminEmail, String adminPassword, int passwordConcurrency, int passwordQueue,
                         List<String> serviceClients, Path devSecretsDir, int pinAttempts, Duration pinLock) {

  public static AuthConfig from(JsonObject root) {
    JsonObject auth = root.getJsonObject("auth");
    JsonObject admin = root.getJsonObject("admin", new JsonObject());
    if (auth == null) {
      throw new ConfigException("config section 'auth' is missing");
    }
    TokenConfig token = TokenConfig.from(root);
    Duration accessTtl = Duration.ofSeconds(auth.getInteger("accessTokenTtlSeconds", 900));
    if (accessTtl.isNegative() || accessTtl.isZero() || accessTtl.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException("auth.accessTokenTtlSeconds must be between 1 and 3600");
    }
    int memory = auth.getInteger("argon2MemoryKib", 19_456);
    int iterations = auth.getInteger("argon2Iterations", 2);
    int parallelism = auth.getInteger("argon2Parallelism", 1);
    if (memory < 8 * 1024 || iterations < 1 || parallelism < 1) {
      throw new ConfigException("auth.argon2* below the safe minimum (8 MiB, 1 iteration, 1 lane)");
    }
    int concurrency = auth.getInteger("passwordConcurrency", 0) > 0 ? auth.getInteger("passwordConcurrency")
      : Runtime.getRuntime().availableProcessors();
    int queue = auth.getInteger("passwordQueue", -1);
    int pinAttempts = auth.getInteger("pinAttempts", 5);
    int pinLockSeconds = auth.getInteger("pinLockSeconds", 900);
    if (pinAttempts < 1 || pinAttempts > 20 || pinLockSeconds < 1) {
      throw new ConfigException("auth.pinAttempts must be 1 to 20 and auth.pinLockSeconds at least 1");
    }
    return new AuthConfig(token, accessTtl,
      Duration.ofSeconds(auth.getInteger("refreshTokenTtlSeconds", 2_592_000)),
      auth.getString("signingKeyPem", ""), auth.getString("signingKeyId", ""), memory, iterations, parallelism,
      admin.getString("email", ""), admin.getString("password", ""), concurrency,
      queue < 0 ? 8 * concurrency : queue,
      List.copyOf(auth.getJsonObject("serviceClients", new JsonObject()).fieldNames()), DevSecrets.dir(root),
      pinAttempts, Duration.ofSeconds(pinLockSeconds));
  }

  @Override
  public String toString() {
    return "AuthConfig[" + token + ", accessTtl=" + accessTokenTtl + "]"; // never the key or the password
  }
}
