package io.mediamesh.media.upload;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The headers of tus 1.0 (core, creation, checksum, expiration), read and written; a bad one is a 400 naming it. */
final class TusHeaders {

  static final String VERSION = "1.0.0";
  static final String RESUMABLE = "Tus-Resumable";
  static final String UPLOAD_OFFSET = "Upload-Offset";
  static final String UPLOAD_LENGTH = "Upload-Length";
  static final String UPLOAD_DEFER_LENGTH = "Upload-Defer-Length";
  static final String UPLOAD_METADATA = "Upload-Metadata";
  static final String UPLOAD_CHECKSUM = "Upload-Checksum";
  static final String UPLOAD_EXPIRES = "Upload-Expires";
  static final String EXTENSIONS = "creation,termination,checksum,expiration";
  static final String PATCH_TYPE = "application/offset+octet-stream";

  /** The checksum algorithms, by their tus names (the IANA hash names), and the JDK's. */
  private static final Map<String, String> ALGORITHMS = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256",
    "sha512", "SHA-512");
  static final String ALGORITHM_NAMES = "md5,sha1,sha256,sha512";

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
    .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private TusHeaders() {
  }

  /** An {@code Upload-Checksum}: the algorithm and the digest the body must have. */
  record Checksum(String algorithm, byte[] expected) {
    MessageDigest digest() {
      try {
        return MessageDigest.getInstance(ALGORITHMS.get(algorithm));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    boolean matches(byte[] actual) {
      return MessageDigest.isEqual(expected, actual);
    }
  }

  /** A 412 unless the client speaks tus 1.0.0 (the answer names the version this server speaks). */
  static void requireVersion(String header) {
    if (!VERSION.equals(header)) {
      throw new ServiceException(ErrorCode.PRECONDITION_FAILED, RESUMABLE + ": " + (header == null ? "is required"
        : "version " + header + " is not supported") + "; this server speaks tus " + VERSION,
        problem(RESUMABLE, "must be " + VERSION));
    }
  }

  /** A whole number of bytes from {@code header} named {@code name}; null when absent. */
  static Long bytes(String header, String name) {
    if (header == null) {
      return null;
    }
    try {
      long value = Long.parseLong(header.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ServiceException.validation(name, "must be a whole number of bytes, got " + printable(header));
  }

  /**
   * The pairs of {@code Upload-Metadata}: comma-separated {@code key base64(value)} (a key alone has no value); keys
   * unique, values UTF-8.
   */
  static Map<String, String> metadata(String header) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (header == null || header.isBlank()) {
      return pairs;
    }
    for (String pair : header.split(",", -1)) {
      String[] kv = pair.trim().split(" ", -1);
      String key = kv[0];
      if (key.isEmpty() || kv.length > 2) {
        throw ServiceException.validation(UPLOAD_METADATA, "each pair is a key and a base64 value, separated by one "
          + "space, got '" + printable(pair.trim()) + "'");
      }
      if (pairs.containsKey(key)) {
        throw ServiceException.validation(UPLOAD_METADATA, "key " + printable(key) + " is given twice");
      }
      pairs.put(key, kv.length == 1 ? "" : utf8(key, kv[1]));
    }
    return pairs;
  }

  /** An {@code Upload-Checksum} ({@code <algorithm> <base64 digest>}), or null when absent. */
  static Checksum checksum(String header) {
    if (header == null) {
      return null;
    }
    String[] parts = header.trim().split(" ", -1);
    if (parts.length != 2) {
      throw ServiceException.validation(UPLOAD_CHECKSUM, "must be an algorithm and a base64 digest");
    }
    String algorithm = parts[0].toLowerCase(Locale.ROOT);
    if (!ALGORITHMS.containsKey(algorithm)) {
      throw ServiceException.validation(UPLOAD_CHECKSUM, "algorithm " + printable(parts[0])
        + " is not supported; supported: " + ALGORITHM_NAMES);
    }
    byte[] expected;
    try {
      expected = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw ServiceException.validation(UPLOAD_CHECKSUM, "the digest is not base64");
    }
    Checksum checksum = new Checksum(algorithm, expected);
    if (expected.length != checksum.digest().getDigestLength()) {
      throw ServiceException.validation(UPLOAD_CHECKSUM, "a " + algorithm + " digest has "
        + checksum.digest().getDigestLength() + " bytes, not " + expected.length);
    }
    return checksum;
  }

  /** The {@code Upload-Expires} form of a time (RFC 9110's IMF-fixdate). */
  static String httpDate(OffsetDateTime time) {
    return HTTP_DATE.format(time);
  }

  private static String utf8(String key, String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64);
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      throw ServiceException.validation(UPLOAD_METADATA, "the value of " + printable(key)
        + " is not base64 of UTF-8 text");
    }
  }

  /** A client's text as it may appear in a message: short, printable ASCII. */
  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static JsonObject problem(String field, String problem) {
    return new JsonObject().put("fields", new JsonObject().put(field, problem));
  }
}
