package io.mediamesh.media.upload;

import io.mediamesh.common.auth.TokenVerifier;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.http.EdgeHandlers;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * What the media service's upload routes ({@link UploadRoute}, {@link TusRoute}) share at the HTTP edge: the caller
 * checked before a byte of the body is read, and refusals a client still sending its body gets to read.
 */
final class UploadEdge {

  private static final long LINGER_MS = 2_000;
  private static final long LINGER_BYTES = 8L * 1024 * 1024;

  private UploadEdge() {
  }

  /** The caller of a verified Bearer token holding {@code access}: 401 or 403 otherwise. */
  static Future<Caller> caller(HttpServerRequest request, TokenVerifier tokens, Access access) {
    return tokens.verifyBearer(request.getHeader(HttpHeaders.AUTHORIZATION)).map(caller -> {
      access.check(caller);
      return caller;
    });
  }

  /**
   * Answers with the error shape. When the body has not been read to its end (a refusal before or during the
   * upload), the rest is read and thrown away for a bounded time and amount ("lingering close", so the client,
   * still sending, gets to read the answer), then the connection is closed.
   */
  static void refuse(RoutingContext ctx, ServiceException error) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    HttpServerRequest request = ctx.request();
    boolean unread = !request.isEnded();
    if (unread) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    EdgeHandlers.respond(ctx, error).onComplete(v -> {
      if (!unread) {
        return;
      }
      if (request.isEnded()) {
        // the rest arrived while the answer was written: nothing left to drain (a handler set now would throw)
        request.connection().close();
        return;
      }
      long[] discarded = {0};
      long timer = ctx.vertx().setTimer(LINGER_MS, id -> request.connection().close());
      request.uploadHandler(upload -> upload.handler(buf -> discarded[0] += buf.length()));
      request.handler(buf -> {
        discarded[0] += buf.length();
        if (discarded[0] > LINGER_BYTES) {
          ctx.vertx().cancelTimer(timer);
          request.connection().close();
        }
      });
      request.endHandler(x -> {
        ctx.vertx().cancelTimer(timer);
        request.connection().close();
      });
      request.resume();
    });
  }
}
