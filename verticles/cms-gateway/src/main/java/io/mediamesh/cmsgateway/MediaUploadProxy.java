package io.mediamesh.cmsgateway;

import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorBody;
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
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.util.List;

/**
 * The uploads whose bodies the gateway streams to the media service instead of reading them: the multipart upload
 * ({@code POST /api/v1/media/upload} to {@link MediaApi#UPLOAD_PATH}) and the tus server ({@code /api/v1/media/tus/}
 * to {@link MediaApi#TUS_PATH}). The client's body is piped as it arrives, with back-pressure and the caller's token;
 * the gateway never holds more than a few network buffers of it. The media service's answer is passed back with the
 * headers of its protocol (tus: {@code Upload-*}, {@code Tus-*}; its {@code Location} made the gateway's).
 * <p>
 * A tus PATCH may be as long as {@code tusMaxPatchBytes} (100 MiB): a longer {@code Content-Length} is a 413 before
 * anything is forwarded, and a chunked body is cut off there (the media service keeps what came before, as for any
 * PATCH cut short). Uploads go through their own breaker ({@code media-upload}), with a timeout fit for large files,
 * so a slow upload never trips the breaker of the media service's bus operations and vice versa.
 */
final class MediaUploadProxy {

  /** Where the gateway serves the tus uploads: media's {@code Location} is rewritten to it. */
  static final String TUS_PUBLIC_PATH = "/api/v1/media/tus/";
  private static final long LINGER_MS = 2_000;
  private static final List<String> UPLOAD_REQUEST = List.of("Content-Type", "Content-Length");
  private static final List<String> UPLOAD_RESPONSE = List.of("Content-Type", "Location");
  private static final List<String> TUS_REQUEST = List.of("Content-Type", "Content-Length", "Tus-Resumable",
    "Upload-Length", "Upload-Defer-Length", "Upload-Offset", "Upload-Metadata", "Upload-Checksum");
  private static final List<String> TUS_RESPONSE = List.of("Content-Type", "Location", "Cache-Control",
    "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm", "Upload-Offset",
    "Upload-Length", "Upload-Metadata", "Upload-Expires");

  private final HttpClient client;
  private final URI uploadTarget;
  private final URI tusTarget;
  private final long tusMaxPatchBytes;
  private final Downstream breaker;
  private final Vertx vertx;

  private MediaUploadProxy(Vertx vertx, HttpClient client, URI uploadTarget, URI tusTarget, long tusMaxPatchBytes,
                           Downstream breaker) {
    this.vertx = vertx;
    this.client = client;
    this.uploadTarget = uploadTarget;
    this.tusTarget = tusTarget;
    this.tusMaxPatchBytes = tusMaxPatchBytes;
    this.breaker = breaker;
  }

  static MediaUploadProxy create(ServiceContext context, GatewayRouter gateway) {
    String media = "http://127.0.0.1:" + context.platform().service(MediaApi.SERVICE).port();
    URI upload = URI.create(configured(context, "mediaUploadUrl", media + MediaApi.UPLOAD_PATH));
    String tus = configured(context, "mediaTusUrl", media + MediaApi.TUS_PATH);
    long timeoutMs = context.config().raw().getLong("uploadTimeoutMs", 600_000L);
    long maxPatch = context.config().raw().getLong("tusMaxPatchBytes", 100L << 20);
    GatewayConfig.BreakerSettings base = gateway.config().breaker();
    GatewayConfig.BreakerSettings settings = new GatewayConfig.BreakerSettings(timeoutMs, base.maxFailures(),
      base.resetTimeoutMs(), 0, base.retryBaseMs(), base.retryMaxMs());
    HttpClient client = context.vertx().createHttpClient(new HttpClientOptions().setKeepAlive(true)
      .setIdleTimeout(60));
    return new MediaUploadProxy(context.vertx(), client, upload, URI.create(tus.endsWith("/") ? tus : tus + "/"),
      maxPatch, new Downstream(context.vertx(), context.config().name(), "media-upload", context.bus(), settings,
      context.registry()));
  }

  private static String configured(ServiceContext context, String key, String otherwise) {
    String value = context.config().raw().getString(key, "");
    return value.isBlank() ? otherwise : value;
  }

  /** {@code POST /api/v1/media/upload}, a multipart form. */
  StreamHandler upload() {
    return (ctx, caller) -> forward(ctx, caller, new Route(uploadTarget.toString(), UPLOAD_REQUEST, UPLOAD_RESPONSE,
      Long.MAX_VALUE));
  }

  /** Every method of {@code /api/v1/media/tus/} and {@code /api/v1/media/tus/{id}}. */
  StreamHandler tus() {
    return (ctx, caller) -> {
      String id = ctx.pathParam("id");
      boolean patch = ctx.request().method() == HttpMethod.PATCH;
      forward(ctx, caller, new Route(tusTarget + (id == null ? "" : id), TUS_REQUEST, TUS_RESPONSE,
        patch ? tusMaxPatchBytes : Long.MAX_VALUE));
    };
  }

  /** Where a request goes, the headers passed each way, and the most body bytes forwarded. */
  private record Route(String target, List<String> requestHeaders, List<String> responseHeaders, long maxBody) {
  }

  private record Answer(int status, MultiMap headers, Buffer body) {
  }

  private void forward(RoutingContext ctx, Caller caller, Route route) {
    HttpServerRequest in = ctx.request();
    Long length = contentLength(in);
    if (length != null && length > route.maxBody()) {
      ctx.fail(tooLarge(route.maxBody()));
      linger(in);
      return;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (caller.token() != null) {
      headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + caller.token());
    }
    route.requestHeaders().forEach(name -> copy(in.headers(), headers, name));
    RequestContext rc = ctx.get(RequestContext.class.getName());
    if (rc != null) {
      headers.set("traceparent", rc.trace().child().header());
      headers.set(EdgeHandlers.REQUEST_ID_HEADER, rc.requestId());
    }
    RequestOptions options = new RequestOptions().setMethod(in.method()).setAbsoluteURI(route.target())
      .setHeaders(headers);
    if ("100-continue".equalsIgnoreCase(in.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    boolean hasBody = length != null || in.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    Capped body = new Capped(in, route.maxBody());
    // the answer is read inside the call: its body must be consumed as it arrives, not a tick later
    breaker.<Answer>execute(() -> client.request(options).compose(out -> send(out, hasBody, length, body))
        .compose(response -> response.body().map(b -> new Answer(response.statusCode(), response.headers(), b)))
        .recover(err -> body.overflowed() ? Future.succeededFuture(tooLargeAnswer(ctx, route.maxBody()))
          : Future.failedFuture(err))
        .compose(answer -> answer.status() >= 500
          ? Future.failedFuture(new ServiceException(ErrorCode.UNAVAILABLE, "media could not store the upload"))
          : Future.succeededFuture(answer)), false)
      .onSuccess(answer -> relay(ctx, answer, route.responseHeaders()))
      .onFailure(err -> {
        ctx.fail(err);
        linger(in);
      });
  }

  private static Future<HttpClientResponse> send(HttpClientRequest out, boolean hasBody, Long length, Capped body) {
    if (!hasBody) {
      return out.send();
    }
    if (length == null) {
      out.setChunked(true);
    }
    // a body cut off at the limit resets the request: the media service sees a PATCH cut short, never a short one
    body.pipe().endOnFailure(false).to(out).onFailure(err -> out.reset(0, err));
    return out.response();
  }

  private void relay(RoutingContext ctx, Answer answer, List<String> headers) {
    ctx.response().setStatusCode(answer.status());
    headers.forEach(name -> copy(answer.headers(), ctx.response().headers(), name));
    String location = answer.headers().get(HttpHeaders.LOCATION);
    if (location != null && location.startsWith(MediaApi.TUS_PATH)) {
      ctx.response().putHeader(HttpHeaders.LOCATION, TUS_PUBLIC_PATH + location.substring(MediaApi.TUS_PATH.length()));
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

  private static ServiceException tooLarge(long max) {
    return new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, "a PATCH carries at most " + max + " bytes here: send "
      + "the upload in smaller chunks", new io.vertx.core.json.JsonObject().put("fields",
      new io.vertx.core.json.JsonObject().put("Content-Length", "at most " + max)));
  }

  private static Answer tooLargeAnswer(RoutingContext ctx, long max) {
    RequestContext rc = ctx.get(RequestContext.class.getName());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.CONTENT_TYPE, "application/json");
    return new Answer(413, headers, ErrorBody.of(tooLarge(max), rc == null ? null : rc.traceId()).toBuffer());
  }

  private static Long contentLength(HttpServerRequest in) {
    String value = in.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return value == null ? null : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null; // the edge refuses malformed framing before this
    }
  }

  private static void copy(MultiMap from, MultiMap to, String name) {
    String v = from.get(name);
    if (v != null) {
      to.set(name, v);
    }
  }

  Future<Void> close() {
    return client.close();
  }

  /** The request's body, failing once more than {@code max} bytes came. */
  private static final class Capped implements ReadStream<Buffer> {

    private final ReadStream<Buffer> in;
    private final long max;
    private long seen;
    private boolean overflowed;
    private Handler<Throwable> exceptionHandler;

    Capped(ReadStream<Buffer> in, long max) {
      this.in = in;
      this.max = max;
    }

    boolean overflowed() {
      return overflowed;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      exceptionHandler = handler;
      in.exceptionHandler(handler);
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      if (handler == null) {
        in.handler(null);
        return this;
      }
      in.handler(chunk -> {
        if (overflowed) {
          return;
        }
        seen += chunk.length();
        if (seen > max) {
          overflowed = true;
          in.pause();
          if (exceptionHandler != null) {
            exceptionHandler.handle(tooLarge(max));
          }
          return;
        }
        handler.handle(chunk);
      });
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      in.pause();
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      in.resume();
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      in.fetch(amount);
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
      in.endHandler(handler);
      return this;
    }
  }
}
