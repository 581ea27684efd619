package io.mediamesh.media.imports;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.media.domain.Kind;
import io.mediamesh.media.domain.MimePolicy;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A download's bytes, from {@code offset} on, cut into the parts of a multipart upload: a buffer is filled to
 * {@code partSize} bytes and handed to {@link Parts#store} (which uploads and records it); while a part is being
 * stored the write queue is full, so the download is paused and about one part is in memory, whatever the file's
 * size. From byte 0 the first {@link MimePolicy#SNIFF_BYTES} are sniffed as every upload's are, before any part goes;
 * the size is held to the kind's limit (the announced total at once, then the running count). Every part but the
 * last has exactly {@code partSize} bytes, so a download can go on from {@code parts * partSize}.
 */
final class PartSink implements WriteStream<Buffer> {

  /** Where full parts go, one at a time. */
  interface Parts {
    Future<Void> store(byte[] bytes, String mime);
  }

  private final MimePolicy policy;
  private final int partSize;
  private final Long total;
  private final Parts parts;
  private Buffer buffered = Buffer.buffer();
  private long position;
  private String mime;
  private Kind kind;
  private long limit;
  private boolean storing;
  private Future<Void> inflight = Future.succeededFuture();
  private Throwable failure;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  /**
   * A sink going on at {@code offset} of a file of type {@code mime} (null from byte 0: sniffed here) whose source
   * announced {@code total} bytes (null: unknown).
   */
  PartSink(MimePolicy policy, int partSize, long offset, String mime, Long total, Parts parts) {
    if (offset > 0 && mime == null) {
      throw new IllegalArgumentException("a download going on past byte 0 has a sniffed type");
    }
    this.policy = policy;
    this.partSize = partSize;
    this.position = offset;
    this.total = total;
    this.parts = parts;
    this.limit = policy.maxAny();
    if (mime != null) {
      known(mime, policy.kindOf(mime).orElseThrow());
    }
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    position += data.length();
    buffered.appendBuffer(data);
    if (mime == null && buffered.length() >= MimePolicy.SNIFF_BYTES && sniff() != null) {
      return Future.failedFuture(failure);
    }
    if (position > limit) {
      return fail(tooLarge(null));
    }
    if (!storing && buffered.length() >= partSize) {
      flush();
    }
    return Future.succeededFuture();
  }

  /** The body ended: what is left goes as the last part (the file is then whole in parts). */
  @Override
  public Future<Void> end() {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (position == 0) {
      return fail(new ServiceException(ErrorCode.UNPROCESSABLE, "refused: the file is empty"));
    }
    if (mime == null && sniff() != null) {
      return Future.failedFuture(failure);
    }
    return settled().compose(v -> {
      if (failure != null) {
        return Future.failedFuture(failure);
      }
      if (buffered.length() == 0) {
        return Future.<Void>succeededFuture();
      }
      byte[] last = buffered.getBytes();
      buffered = Buffer.buffer();
      return parts.store(last, mime);
    }).recover(this::fail);
  }

  /** Completes when no part is being stored (a stored part may start the next buffered one). */
  Future<Void> settled() {
    Future<Void> now = inflight;
    return now.transform(ar -> inflight == now ? Future.<Void>succeededFuture() : settled());
  }

  /** Bytes of the file received so far, counted from its first. */
  long position() {
    return position;
  }

  @Override
  public boolean writeQueueFull() {
    return failure == null && storing;
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
    return this; // the queue is one part: see partSize
  }

  private void flush() {
    if (mime == null && sniff() != null) {
      return;
    }
    byte[] part = buffered.getBytes(0, partSize);
    buffered = buffered.getBuffer(partSize, buffered.length());
    storing = true;
    inflight = parts.store(part, mime).andThen(ar -> {
      storing = false;
      if (ar.failed()) {
        fail(ar.cause());
      } else if (failure == null && buffered.length() >= partSize) {
        flush();
      } else if (failure == null && drainHandler != null) {
        drainHandler.handle(null);
      }
    });
  }

  /** Decides the type from the first bytes (the buffer holds the file from byte 0 until then); the failure or null. */
  private Throwable sniff() {
    byte[] head = buffered.getBytes(0, Math.min(buffered.length(), MimePolicy.SNIFF_BYTES));
    try {
      MimePolicy.Sniffed sniffed = policy.check(head, null);
      known(sniffed.mime(), sniffed.kind());
      if (total != null && total > limit) {
        fail(tooLarge(total));
      } else if (position > limit) {
        fail(tooLarge(null));
      }
    } catch (ServiceException refused) {
      fail(new ServiceException(refused.code(), "refused: " + refused.getMessage().replaceFirst("^file: ", ""),
        refused.details()));
    }
    return failure;
  }

  private void known(String type, Kind sniffedKind) {
    mime = type;
    kind = sniffedKind;
    limit = policy.maxBytes(sniffedKind);
  }

  /** A 413 for a file of {@code announced} bytes (null: of more than the limit, by the running count). */
  private ServiceException tooLarge(Long announced) {
    String what = kind == null ? "any file" : switch (kind) {
      case IMAGE, THUMBNAIL -> "an image";
      case AUDIO -> "an audio file";
      case VIDEO -> "a video";
    };
    return new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, "refused: the file is "
      + (announced == null ? "larger than the " : announced + " bytes, more than the ") + limit + " bytes allowed for "
      + what);
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
}
