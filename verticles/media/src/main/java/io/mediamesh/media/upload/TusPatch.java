package io.mediamesh.media.upload;

import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.media.TusUploads;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.domain.TusUpload;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One PATCH of a tus upload, its body streamed into the upload's parts. The bytes after the last stored part (the
 * tail, read back from storage) and then the body fill one buffer of a part's size; a full buffer goes to storage as
 * the next part while the request is paused, so an upload never has more than about one part in memory and a slow
 * store slows the client down. A checksum is computed on a worker, a part at a time. At the end the rest becomes the
 * new tail and the state is written in one step; when that was the upload's last byte, the last part goes and the
 * upload is completed ({@link TusUploads#finish}).
 * <p>
 * A PATCH is kept whole or not at all, with one exception: a body cut short (the connection dropped) keeps what
 * arrived when it carried no checksum, and the client resumes at the offset a HEAD answers. A checksum mismatch (460),
 * bytes past the upload's length (413) or a storage failure (503) keep nothing of the PATCH; a type refused by
 * sniffing (415) aborts the whole upload. The lease is renewed while the body arrives and released at the end.
 */
final class TusPatch {

  private static final Logger LOG = LoggerFactory.getLogger(TusPatch.class);

  private final RoutingContext ctx;
  private final HttpServerRequest request;
  private final TusUploads uploads;
  private final Caller caller;
  private final TusHeaders.Checksum checksum;
  private final MessageDigest digest;
  private final List<String> etags;
  private final int partSize;
  /** How many bytes this PATCH may bring: the rest of the upload. */
  private final long allowed;

  private TusUploads.Lease lease;
  private String mime;
  private byte[] buffer;
  private int filled;
  /** Where this PATCH's own bytes start in the buffer (before them: the tail), for the checksum. */
  private int bodyStart;
  private long received;
  private Buffer pending = Buffer.buffer();
  private int pendingAt;
  private Future<Void> inflight = Future.succeededFuture();
  private Future<Void> hashing = Future.succeededFuture();
  private boolean done;
  private long renewal = -1;

  TusPatch(RoutingContext ctx, TusUploads uploads, TusUploads.Lease lease, Caller caller,
           TusHeaders.Checksum checksum, byte[] tail) {
    this.ctx = ctx;
    this.request = ctx.request();
    this.uploads = uploads;
    this.lease = lease;
    this.caller = caller;
    this.checksum = checksum;
    this.digest = checksum == null ? null : checksum.digest();
    TusUpload upload = lease.upload();
    this.etags = new ArrayList<>(upload.partEtags());
    this.partSize = upload.partSize();
    this.allowed = upload.length() - upload.offset();
    this.mime = upload.mimeType();
    if (tail.length > 0) {
      buffer = new byte[partSize];
      System.arraycopy(tail, 0, buffer, 0, tail.length);
      filled = tail.length;
    }
    bodyStart = filled;
  }

  /** Reads the body (the request is paused until now). */
  void start() {
    request.handler(this::onChunk);
    request.endHandler(v -> onEnd());
    request.exceptionHandler(err -> onDrop());
    ctx.response().closeHandler(v -> onDrop());
    renewal = ctx.vertx().setPeriodic(TusUploads.LEASE.toMillis() / 3, id -> uploads.renew(lease).onFailure(err -> {
      if (err instanceof ServiceException e && e.code() == ErrorCode.LOCKED) {
        fail(e, false);
      }
    }));
    if (ctx.response().closed()) {
      onDrop(); // gone while the upload was being taken: nothing will come
      return;
    }
    request.resume();
  }

  private void onChunk(Buffer chunk) {
    if (done) {
      return;
    }
    if (received + chunk.length() > allowed) {
      fail(new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, "the body goes past Upload-Length: " + allowed
        + " bytes were left; nothing of this PATCH was kept", new JsonObject().put("fields", new JsonObject()
        .put("Upload-Length", "only " + allowed + " bytes left"))), false);
      return;
    }
    received += chunk.length();
    pending = chunk;
    pendingAt = 0;
    fill();
  }

  /** Moves the chunk into the buffer, sending each full buffer as a part with the request paused meanwhile. */
  private void fill() {
    while (pendingAt < pending.length()) {
      if (buffer == null) {
        buffer = new byte[partSize];
      }
      int n = Math.min(partSize - filled, pending.length() - pendingAt);
      pending.getBytes(pendingAt, pendingAt + n, buffer, filled);
      filled += n;
      pendingAt += n;
      if (mime == null && !sniffed()) {
        return;
      }
      if (filled == partSize) {
        request.pause();
        flush(true).onComplete(ar -> {
          if (done) {
            return;
          }
          if (ar.failed()) {
            fail(ar.cause(), false);
            return;
          }
          fill();
        });
        return;
      }
    }
    request.resume();
  }

  /**
   * Sniffs the type once the first bytes are in (false when it is refused: the upload is then aborted). Until the
   * type is known no part was stored, so the buffer holds the file from its first byte.
   */
  private boolean sniffed() {
    if (filled < MimePolicy.SNIFF_BYTES && filled < lease.upload().length()) {
      return true;
    }
    try {
      mime = uploads.sniff(lease, Arrays.copyOf(buffer, Math.min(filled, MimePolicy.SNIFF_BYTES)));
      return true;
    } catch (ServiceException refused) {
      fail(refused, true);
      return false;
    }
  }

  /** Sends the buffer as the next part; {@code hash}: its body bytes go into the checksum too. */
  private Future<Void> flush(boolean hash) {
    byte[] part = buffer;
    int length = filled;
    int from = bodyStart;
    buffer = null;
    filled = 0;
    bodyStart = 0;
    Future<Void> hashed = hash ? hash(part, from, length) : Future.succeededFuture();
    Future<Void> stored = uploads.uploadPart(lease, mime, etags.size() + 1, part, length, etags)
      .map(held -> {
        lease = held;
        return null;
      });
    inflight = Future.all(stored, hashed).mapEmpty();
    return inflight;
  }

  /** Adds bytes to the checksum on a worker, after those before them. */
  private Future<Void> hash(byte[] bytes, int from, int to) {
    if (digest == null || bytes == null || to <= from) {
      return hashing;
    }
    hashing = hashing.compose(v -> ctx.vertx().executeBlocking(() -> {
      digest.update(bytes, from, to - from);
      return null;
    }, false));
    return hashing;
  }

  private void onEnd() {
    if (done) {
      return;
    }
    done = true;
    stopRenewing();
    inflight.compose(v -> verified()).compose(v -> store())
      .onSuccess(held -> ctx.response().setStatusCode(204)
        .putHeader(TusHeaders.UPLOAD_OFFSET, String.valueOf(held.upload().offset()))
        .putHeader(TusHeaders.UPLOAD_EXPIRES, TusHeaders.httpDate(held.upload().expiresAt()))
        .end())
      .onFailure(err -> uploads.release(lease).onComplete(x -> UploadEdge.refuse(ctx, refusal(err))));
  }

  /** The body against its {@code Upload-Checksum}: 460 when they differ. */
  private Future<Void> verified() {
    if (checksum == null) {
      return Future.succeededFuture();
    }
    return hash(buffer, bodyStart, filled).compose(v -> checksum.matches(digest.digest()) ? Future.succeededFuture()
      : Future.failedFuture(new ServiceException(ErrorCode.CHECKSUM_MISMATCH, "Upload-Checksum: the body's "
        + checksum.algorithm() + " is not the one sent; nothing of this PATCH was kept",
        new JsonObject().put("fields", new JsonObject().put("Upload-Checksum", "does not match the body")))));
  }

  /** Keeps what arrived: the new state, or the last part and the completion when this was the last byte. */
  private Future<TusUploads.Lease> store() {
    TusUpload before = lease.upload();
    long offset = before.offset() + received;
    if (offset < before.length()) {
      return uploads.advance(lease, etags, offset, mime, buffer, filled, true);
    }
    Future<Void> last = filled == 0 ? Future.succeededFuture() : flush(false);
    return last.compose(v -> uploads.advance(lease, etags, offset, mime, null, 0, false))
      .compose(held -> {
        lease = held;
        return uploads.finish(caller, held).map(held);
      });
  }

  /** The connection dropped mid-body: what arrived is kept, unless a checksum could not be checked. */
  private void onDrop() {
    if (done) {
      return;
    }
    done = true;
    stopRenewing();
    inflight.transform(ar -> {
      // the part of a chunk still waiting for a buffer is not stored: the client sends it again
      received -= pending.length() - pendingAt;
      if (ar.failed() || checksum != null || received == 0) {
        return uploads.release(lease).mapEmpty();
      }
      return store().mapEmpty();
    }).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("tus upload {}: what arrived before the connection dropped was not kept: {}",
          lease.upload().id(), String.valueOf(ar.cause()));
        uploads.release(lease);
      }
    });
  }

  /** Refuses the PATCH at once: nothing of it kept (or the whole upload aborted), then the error answered. */
  private void fail(Throwable err, boolean abortUpload) {
    if (done) {
      return;
    }
    done = true;
    stopRenewing();
    request.pause();
    inflight.transform(x -> abortUpload ? uploads.abort(lease) : uploads.release(lease))
      .onComplete(x -> UploadEdge.refuse(ctx, refusal(err)));
  }

  private static ServiceException refusal(Throwable err) {
    if (err instanceof ServiceException e) {
      return e;
    }
    LOG.warn("tus PATCH failed: {}", String.valueOf(err));
    return new ServiceException(ErrorCode.UNAVAILABLE, "storage unavailable; nothing of this PATCH was kept: HEAD "
      + "the upload and send it again from its offset");
  }

  private void stopRenewing() {
    if (renewal >= 0) {
      ctx.vertx().cancelTimer(renewal);
      renewal = -1;
    }
  }
}
