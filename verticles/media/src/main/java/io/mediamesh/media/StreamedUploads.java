package io.mediamesh.media;

import io.mediamesh.storage.Storage;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.upload.S3UploadStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Uploads streamed through the media service ({@code UploadRoute}): the object is written to storage as it arrives
 * ({@link S3UploadStream}), then recorded READY by the {@link UploadCompletion} every upload ends with.
 */
public final class StreamedUploads {

  private final Storage storage;
  private final MimePolicy policy;
  private final int partSizeBytes;
  private final UploadCompletion completion;

  StreamedUploads(Storage storage, MimePolicy policy, int partSizeBytes, UploadCompletion completion) {
    this.storage = storage;
    this.policy = policy;
    this.partSizeBytes = partSizeBytes;
    this.completion = completion;
  }

  /** The largest object of any kind: the limit while the kind is not known yet. */
  public long maxBytes() {
    return policy.maxAny();
  }

  /** A stream into a new object at {@code key}, checked against the type the client declared. */
  public S3UploadStream open(Context context, String key, String declaredMime) {
    return new S3UploadStream(context, storage, key, partSizeBytes, policy, declaredMime);
  }

  /**
   * Records an object the upload stream has stored: READY, with media.uploaded and media.ready (see
   * {@link UploadCompletion}); the caller removes the object when this fails.
   */
  public Future<JsonObject> record(Caller caller, UUID id, UUID contentId, String contentType, String key,
                                   S3UploadStream.Result stored) {
    return completion.recordNew(caller, id, contentId, contentType, key, stored);
  }
}
