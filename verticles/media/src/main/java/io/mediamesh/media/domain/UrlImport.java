package io.mediamesh.media.domain;

import io.mediamesh.common.api.MediaApi.ImportStatus;
import io.mediamesh.common.db.Times;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An import of the file at {@code url} into the PENDING asset {@code mediaId}, and how far its download got: the
 * first {@code partEtags.size()} parts of {@code partSize} bytes are stored in the multipart upload
 * {@code storageUploadId}, taken from an answer of the source whose {@code validator} (strong ETag, else
 * Last-Modified) a resume sends as {@code If-Range}. Pure rules on that state.
 */
public record UrlImport(UUID id, UUID mediaId, String url, String expectedSha256, ImportStatus status, long bytes,
                        Long totalBytes, int attempts, String error, String createdBy, OffsetDateTime runAt,
                        int partSize, String storageUploadId, List<String> partEtags, String validator,
                        String mimeType, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

  public UrlImport {
    partEtags = List.copyOf(partEtags);
  }

  /** A new import, QUEUED and due now. */
  public static UrlImport queued(UUID id, UUID mediaId, String url, String expectedSha256, String createdBy,
                                 int partSize, OffsetDateTime now) {
    return new UrlImport(id, mediaId, url, expectedSha256, ImportStatus.QUEUED, 0, null, 0, null, createdBy, now,
      partSize, null, List.of(), null, null, now, now);
  }

  public int parts() {
    return partEtags.size();
  }

  /**
   * Whether every byte of the file is stored in parts (an attempt got that far, then failed to complete it): the size
   * the source announced is reached, or the last part is short (only the end of a file makes one).
   */
  public boolean allStored() {
    return storageUploadId != null && parts() > 0
      && ((totalBytes != null && bytes == totalBytes) || bytes < (long) parts() * partSize);
  }

  /**
   * Where a download goes on from: the end of the last stored part, when there is one and a validator to ask the
   * source whether the file is still the same; otherwise 0 (from the start).
   */
  public long resumeOffset() {
    return storageUploadId != null && validator != null && parts() > 0 && !allStored()
      ? (long) parts() * partSize : 0;
  }

  /** The state for a download from the first byte of an answer with {@code validator} and {@code total} bytes. */
  public UrlImport restarted(String newValidator, Long total) {
    return new UrlImport(id, mediaId, url, expectedSha256, status, 0, total, attempts, error, createdBy, runAt,
      partSize, null, List.of(), newValidator, null, createdAt, updatedAt);
  }

  /** The state once the multipart upload of a file sniffed as {@code mime} was started. */
  public UrlImport begun(String uploadId, String mime) {
    return new UrlImport(id, mediaId, url, expectedSha256, status, bytes, totalBytes, attempts, error, createdBy,
      runAt, partSize, uploadId, List.of(), validator, mime, createdAt, updatedAt);
  }

  /** The state once one more part (ETag {@code etag}) ending at byte {@code end} was stored. */
  public UrlImport stored(String etag, long end) {
    List<String> etags = new ArrayList<>(partEtags);
    etags.add(etag);
    return new UrlImport(id, mediaId, url, expectedSha256, status, end, totalBytes, attempts, error, createdBy,
      runAt, partSize, storageUploadId, etags, validator, mimeType, createdAt, updatedAt);
  }

  /** The view the API answers. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("mediaId", mediaId.toString())
      .put("url", url)
      .put("sha256", expectedSha256)
      .put("status", status.name())
      .put("bytes", bytes)
      .put("totalBytes", totalBytes)
      .put("attempts", attempts)
      .put("error", error)
      .put("createdBy", createdBy)
      .put("createdAt", Times.text(createdAt))
      .put("updatedAt", Times.text(updatedAt));
  }

  /**
   * What a resume sends as {@code If-Range}: the strong ETag of the answer, or else its Last-Modified (a weak ETag
   * may not be used: RFC 9110, 13.1.5); null when there is neither, and a broken download then starts again.
   */
  public static String validator(String etag, String lastModified) {
    if (etag != null && !etag.isBlank() && !etag.strip().startsWith("W/")) {
      return etag.strip();
    }
    return lastModified == null || lastModified.isBlank() ? null : lastModified.strip();
  }

  /** The first byte a {@code Content-Range} ({@code bytes a-b/total}) covers, or empty when it is not one. */
  public static OptionalLong rangeStart(String contentRange) {
    Matcher m = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange.strip().toLowerCase(Locale.ROOT));
    return m != null && m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** The file's size a {@code Content-Range} gives (its total), or null when it is unknown ({@code *}) or malformed. */
  public static Long rangeTotal(String contentRange) {
    Matcher m = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange.strip().toLowerCase(Locale.ROOT));
    return m != null && m.matches() && !m.group(3).equals("*") ? Long.valueOf(m.group(3)) : null;
  }
}
