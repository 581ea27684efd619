package io.mediamesh.cmsgateway;

import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.http.EdgeHandlers;
import io.mediamesh.common.observability.RequestContext;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.gateway.GatewayConfig;
import io.mediamesh.gateway.GatewayRouter;
import io.mediamesh.gateway.StreamHandler;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;

/**
 * {@code POST /api/v1/media/upload}: the client's multipart body is piped, as it arrives and with back-pressure,
 * to the media service's upload endpoint ({@link MediaApi#UPLOAD_PATH}) with the caller's token; the gateway never
 * holds more than a few network buffers of it. The media service's answer (201, 413, 415, ...) is passed back.
 * <p>
 * Uploads go through their own breaker ({@code media-upload}), with a timeout fit for large files, so a slow
 * upload never trips the breaker of the media service's bus operations and vice versa.
 */
final class MediaUploadProxy implements StreamHandler {

  private static final long LINGER_MS = 2_000;

  private final HttpClient client;
  private final URI target;
  private final Downstream breaker;
  private final Vertx vertx;

  private MediaUploadProxy(Vertx vertx, HttpClient client, URI target, Downstream breaker) {
    this.vertx = vertx;
    this.client = client;
    this.target = target;
    this.breaker = breaker;
  }

  static MediaUploadProxy create(ServiceContext context, GatewayRouter gateway) {
    String configured = context.config().raw().getString("mediaUploadUrl", "");
    URI target = URI.create(configured.isBlank()
      ? "http://127.0.0.1:" + context.platform().service(MediaApi.SERVICE).port() + MediaApi.UPLOAD_PATH
      : configured);
    long timeoutMs = context.config().raw().getLong("uploadTimeoutMs", 600_000L);
    GatewayConfig.BreakerSettings base = gateway.config().breaker();
    GatewayConfig.BreakerSettings settings = new GatewayConfig.BreakerSettings(timeoutMs, base.maxFailures(),
      base.resetTimeoutMs(), 0, base.retryBaseMs(), base.retryMaxMs());
    HttpClient client = context.vertx().createHttpClient(new HttpClientOptions().setKeepAlive(true)
      .setIdleTimeout(60));
    return new MediaUploadProxy(context.vertx(), client, target, new Downstream(context.vertx(), context.config().name(),
      "media-upload", context.bus(), settings, context.registry()));
  }

  @Override
  public void handle(RoutingContext ctx, Caller caller) {
    HttpServerRequest in = ctx.request();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.toString());
    options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + caller.token());
    copy(in, options, HttpHeaders.CONTENT_TYPE);
    copy(in, options, HttpHeaders.CONTENT_LENGTH);
    RequestContext rc = ctx.get(RequestContext.class.getName());
    if (rc != null) {
      options.putHeader("traceparent", rc.trace().child().header());
      options.putHeader(EdgeHandlers.REQUEST_ID_HEADER, rc.requestId());
    }
    if ("100-continue".equalsIgnoreCase(in.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    // the answer is read inside the call: its body must be consumed as it arrives, not a tick later
    breaker.<Answer>execute(() -> client.request(options).compose(out -> {
        if (in.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
          out.setChunked(true);
        }
        return out.send(in);
      }).compose(response -> response.body().map(body -> new Answer(response.statusCode(),
        response.getHeader(HttpHeaders.CONTENT_TYPE), response.getHeader(HttpHeaders.LOCATION), body)))
      .compose(answer -> answer.status() >= 500
        ? Future.failedFuture(new ServiceException(ErrorCode.UNAVAILABLE, "media could not store the upload"))
        : Future.succeededFuture(answer)), false)
      .onSuccess(answer -> relay(ctx, answer))
      .onFailure(err -> {
        ctx.fail(err);
        linger(in);
      });
  }

  private record Answer(int status, String contentType, String location, Buffer body) {
  }

  private void relay(RoutingContext ctx, Answer answer) {
    ctx.response().setStatusCode(answer.status());
    if (answer.contentType() != null) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, answer.contentType());
    }
    if (answer.location() != null) {
      ctx.response().putHeader(HttpHeaders.LOCATION, answer.location());
    }
    ctx.response().end(answer.body());
    linger(ctx.request());
  }

  /** When the answer came before the whole body (a refusal), reads and drops the rest briefly, then closes. */
  private void linger(HttpServerRequest in) {
    if (in.isEnded()) {
      return;
    }
    in.handler(chunk -> { });
    in.resume();
    long timer = vertx.setTimer(LINGER_MS, id -> {
      if (!in.isEnded() && in.connection() != null) {
        in.connection().close();
      }
    });
    in.endHandler(v -> vertx.cancelTimer(timer));
  }

  private static void copy(HttpServerRequest in, RequestOptions out, CharSequence name) {
    String v = in.getHeader(name);
    if (v != null) {
      out.putHeader(name, v);
    }
  }

  Future<Void> close() {
    return client.close();
  }
}
