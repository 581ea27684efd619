package io.mediamesh.common.stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Signed path-prefix tokens for stream bytes: {@code base64url("v1|session|expiry|prefix") "." base64url(HMAC-SHA256)}.
 * One token is the first segment of {@code /stream/<token>/...}; the rest of the path is resolved under the storage
 * prefix it carries, so the master playlist, its media playlists and every segment (all relative URLs) are covered
 * by the one token and nothing is rewritten per segment. The expiry is checked only after the signature: a forged
 * token is refused as forged whatever its expiry says.
 */
public final class PathTokens {

  private static final String VERSION = "v1";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  /** A token longer than this is not one of ours (and a path segment that long is refused before any HMAC). */
  public static final int MAX_LENGTH = 512;

  private final SecretKeySpec key;

  public PathTokens(String secret) {
    if (secret == null || secret.length() < StreamSecret.MIN_LENGTH) {
      throw new IllegalArgumentException("a stream signing secret has at least " + StreamSecret.MIN_LENGTH
        + " characters");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** What a valid token grants: the objects under {@code prefix}, for {@code session}, until {@code expiresAt}. */
  public record Grant(UUID session, String prefix, Instant expiresAt) {
  }

  /** The outcome of reading a token: a grant, or why there is none. */
  public sealed interface Verdict permits Valid, Invalid, Expired {
  }

  public record Valid(Grant grant) implements Verdict {
  }

  public record Invalid(String why) implements Verdict {
  }

  public record Expired(Instant at) implements Verdict {
  }

  public String sign(UUID session, String prefix, Instant expiresAt) {
    if (prefix.contains("|") || !prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("..")) {
      throw new IllegalArgumentException("not a storage prefix: " + prefix);
    }
    String payload = VERSION + "|" + session + "|" + expiresAt.getEpochSecond() + "|" + prefix;
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(bytes));
  }

  public Verdict verify(String token, Instant now) {
    if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
      return new Invalid("no token");
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      return new Invalid("malformed");
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = DECODER.decode(token.substring(0, dot));
      signature = DECODER.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return new Invalid("malformed");
    }
    if (!MessageDigest.isEqual(mac(payload), signature)) {
      return new Invalid("bad signature");
    }
    // base64url leaves spare bits in the last character: only the one canonical spelling is the token
    if (!ENCODER.encodeToString(signature).equals(token.substring(dot + 1))
      || !ENCODER.encodeToString(payload).equals(token.substring(0, dot))) {
      return new Invalid("not canonically encoded");
    }
    String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
    if (parts.length != 4 || !VERSION.equals(parts[0])) {
      return new Invalid("unknown version");
    }
    try {
      Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
      if (!now.isBefore(expires)) {
        return new Expired(expires);
      }
      return new Valid(new Grant(UUID.fromString(parts[1]), parts[3], expires));
    } catch (RuntimeException e) {
      return new Invalid("malformed");
    }
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
