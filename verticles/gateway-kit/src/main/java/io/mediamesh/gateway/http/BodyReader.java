package io.mediamesh.gateway.http;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a (paused) request body with a size limit: a declared Content-Length over the limit is refused before a
 * byte is read, and a body that grows past it while arriving is refused at that moment (413).
 */
public final class BodyReader {

  private BodyReader() {
  }

  public static Future<Buffer> read(HttpServerRequest request, long maxBytes) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return Future.failedFuture(ServiceException.validation("Content-Length", "must be a number"));
      }
      if (length > maxBytes) {
        return Future.failedFuture(tooLarge(maxBytes));
      }
      if (length == 0) {
        request.resume();
        return Future.succeededFuture(Buffer.buffer());
      }
    }
    if (request.isEnded()) {
      return Future.succeededFuture(Buffer.buffer());
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    io.mediamesh.common.http.HttpEdge.watchBody(request);
    request.handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        request.pause();
        promise.tryFail(tooLarge(maxBytes));
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> promise.tryComplete(body));
    request.exceptionHandler(promise::tryFail);
    request.resume();
    return promise.future();
  }

  private static ServiceException tooLarge(long maxBytes) {
    return new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, "request body larger than " + maxBytes + " bytes");
  }
}
