package io.mediamesh.media.domain;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A tus upload into the asset {@code id}: {@code offset} of its {@code length} bytes are stored, the first
 * {@code partEtags.size()} parts of {@code partSize} bytes in a multipart upload ({@code storageUploadId}), the rest
 * (the tail) in a temporary object. The last part of a complete upload may be shorter. Pure rules on its state.
 */
public record TusUpload(UUID id, long length, long offset, String metadata, int partSize, String storageUploadId,
                        List<String> partEtags, String mimeType, String createdBy, OffsetDateTime expiresAt,
                        OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public TusUpload {
    partEtags = List.copyOf(partEtags);
  }

  /** A new upload: nothing stored yet. */
  public static TusUpload create(UUID id, long length, String metadata, int partSize, String createdBy,
                                 OffsetDateTime now, Duration expiry) {
    return new TusUpload(id, length, 0, metadata, partSize, null, List.of(), null, createdBy, now.plus(expiry), now,
      now);
  }

  public int parts() {
    return partEtags.size();
  }

  /** Every byte arrived and is stored in parts. */
  public boolean complete() {
    return offset == length;
  }

  /** Where the tail starts: the end of the last full part. */
  public long tailStart() {
    return (long) parts() * partSize;
  }

  /** Bytes after the last part, kept in the tail object (none once complete). */
  public int tailBytes() {
    return complete() ? 0 : (int) (offset - tailStart());
  }

  /** Whether the upload expired (and so is gone for its client, whatever the sweeper has removed yet). */
  public boolean expired(OffsetDateTime now) {
    return !now.isBefore(expiresAt);
  }

  /** A PATCH starts where the stored bytes end: a 409 saying where that is otherwise. */
  public void checkOffset(long claimed) {
    if (claimed != offset) {
      throw new ServiceException(ErrorCode.CONFLICT, "Upload-Offset: " + claimed + " is not the upload's offset "
        + offset, new JsonObject().put("fields", new JsonObject().put("Upload-Offset", "must be " + offset))
        .put("offset", offset));
    }
  }

  /** A 413 when {@code more} bytes after the offset would go past the upload's length. */
  public void checkFits(long more) {
    if (more > length - offset) {
      throw new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, "the body goes past Upload-Length: " + (length - offset)
        + " bytes are left of " + length, new JsonObject().put("fields", new JsonObject()
        .put("Upload-Length", "only " + (length - offset) + " bytes left")));
    }
  }

  /** The upload after a PATCH stored bytes up to {@code newOffset}; its expiry slides from {@code now}. */
  public TusUpload advanced(List<String> etags, long newOffset, String mime, OffsetDateTime now, Duration expiry) {
    return new TusUpload(id, length, newOffset, metadata, partSize, storageUploadId, etags, mime, createdBy,
      now.plus(expiry), createdAt, now);
  }

  public TusUpload withStorageUploadId(String uploadId) {
    return new TusUpload(id, length, offset, metadata, partSize, uploadId, partEtags, mimeType, createdBy, expiresAt,
      createdAt, updatedAt);
  }
}
