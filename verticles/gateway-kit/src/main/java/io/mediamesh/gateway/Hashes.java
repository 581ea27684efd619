package io.mediamesh.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests in hex, truncated: keys that must not hold what they are made of, and ETags of bytes. */
public final class Hashes {

  private Hashes() {
  }

  public static String sha256Hex(byte[] data, int bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data), 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256Hex(String text, int bytes) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8), bytes);
  }
}
