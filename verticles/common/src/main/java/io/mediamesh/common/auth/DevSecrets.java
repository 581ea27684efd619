package io.mediamesh.common.auth;

import io.mediamesh.common.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets a development platform makes for itself when none is configured: generated once (256 random bits),
 * written owner-only under a directory, and read from there by every service started from the same directory. A
 * configured value always wins; this is how a newcomer's platform works without any secret in code or defaults.
 */
public final class DevSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private DevSecrets() {
  }

  /** Where development secrets are kept: {@code auth.devSecretsDir}, by default {@code .mediamesh/secrets}. */
  public static Path dir(io.vertx.core.json.JsonObject root) {
    return Path.of(root.getJsonObject("auth", new io.vertx.core.json.JsonObject())
      .getString("devSecretsDir", ".mediamesh/secrets"));
  }

  /**
   * The secret in {@code dir/name}, created if missing. Blocking (file access): call on a worker thread.
   * {@code configKey} names the setting that would replace it, for the error message.
   */
  public static String resolve(Path dir, String name, int minLength, String configKey) {
    Path file = dir.resolve(name);
    try {
      if (!Files.exists(file)) {
        create(dir, file);
      }
      String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (secret.length() < minLength) {
        throw new ConfigException(file + " holds no usable secret; delete it or set " + configKey);
      }
      return secret;
    } catch (IOException e) {
      throw new ConfigException("cannot read or create the development secret " + file + ": " + e.getMessage());
    }
  }

  /** Whether {@code dir/name} exists already (a secret made by an earlier start). */
  public static boolean exists(Path dir, String name) {
    return Files.exists(dir.resolve(name));
  }

  /** Written to a temporary file, then linked into place: readers never see a half-written secret. */
  private static void create(Path dir, Path file) throws IOException {
    Files.createDirectories(dir);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path tmp = posix
      ? Files.createTempFile(dir, "secret", ".tmp", PosixFilePermissions.asFileAttribute(
      PosixFilePermissions.fromString("rw-------")))
      : Files.createTempFile(dir, "secret", ".tmp");
    try {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), StandardCharsets.UTF_8);
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException raced) {
        // another service created it first: use theirs
      } catch (UnsupportedOperationException noLinks) {
        Files.move(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
