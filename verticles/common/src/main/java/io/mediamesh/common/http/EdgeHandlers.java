package io.mediamesh.common.http;

import io.mediamesh.common.bus.ErrorBody;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.observability.RequestContext;
import io.mediamesh.common.observability.TraceContext;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Handlers every HTTP edge mounts first and last: trace context in, one error shape out.
 */
public final class EdgeHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeHandlers.class);
  public static final String REQUEST_ID_HEADER = "X-Request-Id";
  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private EdgeHandlers() {
  }

  /**
   * Continues the caller's {@code traceparent} (or starts a trace) and request id, binds them to the request's
   * context for logs and downstream calls, and echoes both on the response.
   */
  public static Handler<RoutingContext> trace() {
    return ctx -> {
      String incoming = ctx.request().getHeader(REQUEST_ID_HEADER);
      String requestId = incoming != null && SAFE_REQUEST_ID.matcher(incoming).matches()
        ? incoming : newRequestId();
      RequestContext rc = new RequestContext(TraceContext.parseOrRoot(ctx.request().getHeader("traceparent")),
        requestId);
      RequestContext.set(rc);
      ctx.put(RequestContext.class.getName(), rc);
      ctx.response().putHeader("traceparent", rc.trace().header()).putHeader(REQUEST_ID_HEADER, requestId);
      ctx.next();
    };
  }

  /** A random id (not a secret: a thread-local generator, not the contended secure one of UUID.randomUUID). */
  static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  /** Answers any failure with the error shape; the status comes from the failure, never a stack trace. */
  public static Handler<RoutingContext> failure() {
    return ctx -> {
      ServiceException error = toServiceException(ctx);
      if (error.code() == ErrorCode.INTERNAL && ctx.failure() != null) {
        LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      }
      respond(ctx, error);
    };
  }

  public static io.vertx.core.Future<Void> respond(RoutingContext ctx, ServiceException error) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return io.vertx.core.Future.succeededFuture();
    }
    RequestContext rc = ctx.get(RequestContext.class.getName());
    String traceId = rc != null ? rc.traceId() : null;
    return ctx.response()
      .setStatusCode(error.code().status())
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(ErrorBody.of(error, traceId).encode());
  }

  private static ServiceException toServiceException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure != null) {
      return ServiceException.from(failure);
    }
    return ofStatus(ctx.statusCode(), ctx);
  }

  /**
   * The error for a bare HTTP status, as Vert.x Web sets one (no route, {@code ctx.fail(status)}): 404 and 405 say
   * what was not found or allowed, an unknown status is an internal error, and the message never shows more.
   */
  public static ServiceException ofStatus(int status, RoutingContext ctx) {
    ErrorCode code = ErrorCode.ofStatus(status);
    return switch (status) {
      case 404 -> new ServiceException(ErrorCode.NOT_FOUND, "no such resource: " + ctx.request().path());
      case 405 -> new ServiceException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed: " + ctx.request().method()
        + (ctx.response().headers().contains("Allow") ? "; allowed: " + ctx.response().headers().get("Allow") : ""));
      case 413 -> new ServiceException(code, "request body too large");
      default -> new ServiceException(code, code == ErrorCode.INTERNAL ? "internal error" : code.code());
    };
  }
}
