package io.mediamesh.media.domain;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;
import org.apache.tika.Tika;

import java.util.Map;
import java.util.Optional;

/**
 * Which types are accepted, as what kind, and how large they may be. The type is always sniffed from the bytes
 * (Apache Tika's magic detection); a client's claim only has to agree with it.
 */
public final class MimePolicy {

  /** How many leading bytes the sniffing looks at. */
  public static final int SNIFF_BYTES = 8192;

  private static final Map<String, Kind> ACCEPTED = Map.ofEntries(
    Map.entry("image/jpeg", Kind.IMAGE), Map.entry("image/png", Kind.IMAGE), Map.entry("image/gif", Kind.IMAGE),
    Map.entry("image/webp", Kind.IMAGE),
    Map.entry("video/mp4", Kind.VIDEO), Map.entry("video/quicktime", Kind.VIDEO), Map.entry("video/webm", Kind.VIDEO),
    Map.entry("video/x-matroska", Kind.VIDEO),
    Map.entry("audio/mpeg", Kind.AUDIO), Map.entry("audio/mp4", Kind.AUDIO), Map.entry("audio/ogg", Kind.AUDIO),
    Map.entry("audio/vorbis", Kind.AUDIO), Map.entry("audio/x-wav", Kind.AUDIO), Map.entry("audio/vnd.wave", Kind.AUDIO),
    Map.entry("audio/x-flac", Kind.AUDIO), Map.entry("audio/flac", Kind.AUDIO));

  private final Tika tika = new Tika();
  private final long maxImage;
  private final long maxAudio;
  private final long maxVideo;

  public MimePolicy(long maxImage, long maxAudio, long maxVideo) {
    this.maxImage = maxImage;
    this.maxAudio = maxAudio;
    this.maxVideo = maxVideo;
  }

  public String sniff(byte[] prefix) {
    return tika.detect(prefix);
  }

  public Optional<Kind> kindOf(String mime) {
    return Optional.ofNullable(mime == null ? null : ACCEPTED.get(normalise(mime)));
  }

  /**
   * The kind a file name suggests, for an asset whose bytes have not arrived (an import): provisional, the sniffed
   * type decides; VIDEO when the name suggests no accepted type.
   */
  public Kind kindByName(String name) {
    return kindOf(tika.detect(name)).orElse(Kind.VIDEO);
  }

  public long maxBytes(Kind kind) {
    return switch (kind) {
      case IMAGE, THUMBNAIL -> maxImage;
      case AUDIO -> maxAudio;
      case VIDEO -> maxVideo;
    };
  }

  /** The largest object of any kind: the limit while the kind is not known yet. */
  public long maxAny() {
    return Math.max(maxImage, Math.max(maxAudio, maxVideo));
  }

  /** What an upload's bytes are, by their first bytes: the type and its kind. */
  public record Sniffed(String mime, Kind kind) {
  }

  /**
   * The type of an upload from its first bytes ({@link #SNIFF_BYTES} of them, or all of a smaller file): it must be
   * an accepted type and agree with the one the client declared, otherwise a 415 naming {@code file}.
   */
  public Sniffed check(byte[] prefix, String declared) {
    String mime = normalise(sniff(prefix));
    Kind kind = kindOf(mime).orElse(null);
    if (kind == null) {
      throw new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "file: content of type " + mime
        + " is not accepted", field("file", "unsupported type " + mime));
    }
    if (!agrees(declared, mime)) {
      throw new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "file: declared as " + declared
        + " but the content is " + mime, field("file", "content is " + mime));
    }
    return new Sniffed(mime, kind);
  }

  /** The kind of a type a client declares before sending the bytes: a 415 naming {@code field} if not accepted. */
  public Kind declaredKind(String mime, String field) {
    return kindOf(mime).orElseThrow(() -> new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, field + ": " + mime
      + " is not accepted", field(field, "not accepted")));
  }

  /** A 413 naming {@code field} when {@code size} bytes are more than {@code kind} may have. */
  public void checkSize(Kind kind, long size, String field) {
    if (size > maxBytes(kind)) {
      throw new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, field + ": at most " + maxBytes(kind) + " bytes for "
        + kind.name().toLowerCase(java.util.Locale.ROOT), field(field, "too large"));
    }
  }

  private static JsonObject field(String name, String problem) {
    return new JsonObject().put("fields", new JsonObject().put(name, problem));
  }

  /** Whether a client's declared type agrees with the sniffed one (the same accepted kind and type). */
  public boolean agrees(String declared, String sniffed) {
    if (declared == null || declared.isBlank() || declared.equals("application/octet-stream")) {
      return true; // nothing claimed
    }
    String d = normalise(declared);
    String s = normalise(sniffed);
    return d.equals(s) || (kindOf(d).isPresent() && kindOf(d).equals(kindOf(s)) && alias(d, s));
  }

  private static boolean alias(String a, String b) {
    // the same format under two registered names; MP4 and QuickTime are both ISO base media files
    return (a.contains("wav") && b.contains("wav")) || (a.contains("flac") && b.contains("flac"))
      || (a.contains("ogg") || a.contains("vorbis")) && (b.contains("ogg") || b.contains("vorbis"))
      || (isoMedia(a) && isoMedia(b));
  }

  private static boolean isoMedia(String mime) {
    return mime.equals("video/mp4") || mime.equals("video/quicktime");
  }

  public static String normalise(String mime) {
    int semicolon = mime.indexOf(';');
    return (semicolon < 0 ? mime : mime.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
  }

  public static String extension(String mime) {
    return switch (normalise(mime)) {
      case "image/jpeg" -> ".jpg";
      case "image/png" -> ".png";
      case "image/gif" -> ".gif";
      case "image/webp" -> ".webp";
      case "video/mp4" -> ".mp4";
      case "video/quicktime" -> ".mov";
      case "video/webm" -> ".webm";
      case "video/x-matroska" -> ".mkv";
      case "audio/mpeg" -> ".mp3";
      case "audio/mp4" -> ".m4a";
      case "audio/ogg", "audio/vorbis" -> ".ogg";
      case "audio/flac", "audio/x-flac" -> ".flac";
      default -> ".wav";
    };
  }
}
