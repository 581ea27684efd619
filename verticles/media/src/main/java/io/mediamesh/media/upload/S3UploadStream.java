package io.mediamesh.media.upload;

import io.mediamesh.storage.Storage;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.media.domain.Kind;
import io.mediamesh.media.domain.MimePolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Streams bytes into one S3 object without holding the whole object: it fills one part of {@code partSize} bytes
 * while at most one other part is being uploaded (then it reports a full write queue, so the producer pauses),
 * computes the SHA-256 as bytes pass, sniffs the type from the first 8 KiB and enforces the kind's size limit as
 * soon as it is exceeded. Small objects are written with one PUT; larger ones with a multipart upload, aborted
 * on failure so no parts are left behind.
 */
public final class S3UploadStream implements WriteStream<Buffer> {

  /** What was stored. */
  public record Result(long sizeBytes, String sha256, String mimeType, Kind kind, byte[] prefix) {
  }

  private final Context context;
  private final Storage storage;
  private final String key;
  private final int partSize;
  private final MimePolicy policy;
  private final String declaredMime;
  private final MessageDigest sha = Storage.sha256Digest();
  private final byte[] prefix = new byte[MimePolicy.SNIFF_BYTES];
  private final List<CompletedPart> parts = new ArrayList<>();

  private Buffer part = Buffer.buffer();
  private int prefixLength;
  private long total;
  private long limit;
  private String mime;
  private Kind kind;
  private String uploadId;
  private Future<Void> inflight = Future.succeededFuture();
  private boolean uploading;
  private boolean completed;
  private Throwable failure;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  public S3UploadStream(Context context, Storage storage, String key, int partSize, MimePolicy policy,
                        String declaredMime) {
    this.context = context;
    this.storage = storage;
    this.key = key;
    this.partSize = partSize;
    this.policy = policy;
    this.declaredMime = declaredMime;
    this.limit = policy.maxAny();
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    total += data.length();
    if (total > limit) {
      return fail(tooLarge());
    }
    byte[] bytes = data.getBytes();
    sha.update(bytes);
    if (prefixLength < prefix.length) {
      int n = Math.min(prefix.length - prefixLength, bytes.length);
      System.arraycopy(bytes, 0, prefix, prefixLength, n);
      prefixLength += n;
      if (prefixLength == prefix.length && sniff() != null) {
        return Future.failedFuture(failure);
      }
    }
    part.appendBuffer(data);
    if (part.length() >= partSize && !uploading) {
      flushPart();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (total == 0) {
      return fail(ServiceException.validation("file", "is empty"));
    }
    if (mime == null && sniff() != null) {
      return Future.failedFuture(failure);
    }
    return idle().compose(v -> {
      if (uploadId == null) {
        return onContext(storage.put(key, part.getBytes(), mime));
      }
      Future<Void> last = part.length() == 0 ? Future.succeededFuture() : uploadPart(part.getBytes());
      part = Buffer.buffer();
      return last.compose(x -> onContext(storage.completeMultipart(key, uploadId, parts)));
    }).onSuccess(v -> completed = true).recover(err -> fail(err));
  }

  /** Waits until no part is uploading (a finished part may start the next buffered one). */
  private Future<Void> idle() {
    Future<Void> now = inflight;
    return now.transform(ar -> inflight == now ? Future.<Void>succeededFuture() : idle());
  }

  /**
   * Removes whatever was stored (after a failure, or when the upload is refused afterwards): the object once it
   * is complete, otherwise the multipart upload and its parts, after any part in flight has settled.
   */
  public Future<Void> abort() {
    return idle().transform(v -> {
      CompletableFuture<Void> cleanup = completed || uploadId == null ? storage.delete(List.of(key))
        : storage.abortMultipart(key, uploadId);
      return onContext(cleanup);
    }).otherwiseEmpty();
  }

  public Result result() {
    return new Result(total, HexFormat.of().formatHex(sha.digest()), mime, kind,
      Arrays.copyOf(prefix, prefixLength));
  }

  @Override
  public boolean writeQueueFull() {
    return failure == null && uploading && part.length() >= partSize;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this; // the queue is one part; see the constructor's partSize
  }

  private void flushPart() {
    byte[] bytes = part.getBytes();
    part = Buffer.buffer();
    uploading = true;
    inflight = uploadPart(bytes).andThen(ar -> {
      uploading = false;
      if (ar.failed()) {
        fail(new ServiceException(ErrorCode.UNAVAILABLE, "storage unavailable"));
        return;
      }
      if (failure != null) {
        return;
      }
      if (part.length() >= partSize) {
        flushPart(); // the buffer is free again, so the producer may go on filling it
      }
      if (drainHandler != null) {
        drainHandler.handle(null);
      }
    });
  }

  private Future<Void> uploadPart(byte[] bytes) {
    Future<String> id = uploadId != null ? Future.succeededFuture(uploadId)
      : onContext(storage.createMultipart(key, mime)).map(created -> uploadId = created);
    return id.compose(u -> onContext(storage.uploadPart(key, u, parts.size() + 1, bytes)))
      .map(done -> {
        parts.add(done);
        return null;
      });
  }

  /** Decides the type from the bytes; returns the failure if the type is refused, or null. */
  private Throwable sniff() {
    try {
      MimePolicy.Sniffed sniffed = policy.check(Arrays.copyOf(prefix, prefixLength), declaredMime);
      mime = sniffed.mime();
      kind = sniffed.kind();
      limit = policy.maxBytes(kind);
      if (total > limit) {
        failure = tooLarge();
      }
    } catch (ServiceException refused) {
      failure = refused;
    }
    if (failure != null && exceptionHandler != null) {
      exceptionHandler.handle(failure);
    }
    return failure;
  }

  private ServiceException tooLarge() {
    return new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, "file: larger than " + limit + " bytes"
      + (kind == null ? "" : " allowed for " + kind.name().toLowerCase()),
      field("file", "at most " + limit + " bytes"));
  }

  private Future<Void> fail(Throwable err) {
    if (failure == null) {
      failure = err;
      if (exceptionHandler != null) {
        exceptionHandler.handle(err);
      }
    }
    return Future.failedFuture(failure);
  }

  private <T> Future<T> onContext(CompletableFuture<T> cf) {
    return Future.fromCompletionStage(cf, context);
  }

  private static JsonObject field(String name, String problem) {
    return new JsonObject().put("fields", new JsonObject().put(name, problem));
  }
}
