package io.mediamesh.media.upload;

import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.auth.TokenVerifier;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.media.TusUploads;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.domain.TusUpload;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The tus 1.0 server at {@link MediaApi#TUS_PATH}: core (HEAD, PATCH), creation (POST), termination (DELETE),
 * checksum and expiration. Every request but OPTIONS must say {@code Tus-Resumable: 1.0.0} (412 otherwise) and bring
 * a token of {@link MediaApi#UPLOAD_ACCESS} (401, 403), checked before a byte of the body is read; every answer says
 * {@code Tus-Resumable}. Errors use the platform's error shape, naming the header or metadata field at fault.
 */
public final class TusRoute {

  private final TusUploads uploads;
  private final TokenVerifier tokens;
  private final Access access;

  public TusRoute(TusUploads uploads, TokenVerifier tokens, Access access) {
    this.uploads = uploads;
    this.tokens = tokens;
    this.access = access;
  }

  public void mount(Router router) {
    String base = MediaApi.TUS_PATH;
    router.options(base).handler(this::options);
    router.options(base + ":id").handler(this::options);
    router.post(base).handler(ctx -> tus(ctx, caller -> create(ctx, caller)));
    router.head(base + ":id").handler(ctx -> tus(ctx, caller -> head(ctx, caller)));
    router.patch(base + ":id").handler(ctx -> tus(ctx, caller -> patch(ctx, caller)));
    router.delete(base + ":id").handler(ctx -> tus(ctx, caller -> uploads.terminate(id(ctx)).map(v -> {
      ctx.response().setStatusCode(204).end();
      return null;
    })));
  }

  /** What this server speaks; no token needed (it tells nothing of any upload). */
  private void options(RoutingContext ctx) {
    ctx.response().setStatusCode(204)
      .putHeader(TusHeaders.RESUMABLE, TusHeaders.VERSION)
      .putHeader("Tus-Version", TusHeaders.VERSION)
      .putHeader("Tus-Extension", TusHeaders.EXTENSIONS)
      .putHeader("Tus-Max-Size", String.valueOf(uploads.maxSize()))
      .putHeader("Tus-Checksum-Algorithm", TusHeaders.ALGORITHM_NAMES)
      .end();
  }

  /** The checks every tus request passes, the body still unread; then {@code then}, whose failure is answered. */
  private void tus(RoutingContext ctx, Function<Caller, Future<Void>> then) {
    HttpServerRequest request = ctx.request();
    request.pause();
    ctx.response().putHeader(TusHeaders.RESUMABLE, TusHeaders.VERSION);
    try {
      TusHeaders.requireVersion(request.getHeader(TusHeaders.RESUMABLE));
    } catch (ServiceException e) {
      ctx.response().putHeader("Tus-Version", TusHeaders.VERSION);
      UploadEdge.refuse(ctx, e);
      return;
    }
    UploadEdge.caller(request, tokens, access).compose(then)
      .onFailure(err -> UploadEdge.refuse(ctx, ServiceException.from(err)));
  }

  /** Creation: an empty upload of {@code Upload-Length} bytes described by {@code Upload-Metadata}. */
  private Future<Void> create(RoutingContext ctx, Caller caller) {
    HttpServerRequest request = ctx.request();
    if (request.getHeader(TusHeaders.UPLOAD_DEFER_LENGTH) != null) {
      throw ServiceException.validation(TusHeaders.UPLOAD_DEFER_LENGTH, "deferred lengths are not supported: "
        + "send Upload-Length");
    }
    Long declared = TusHeaders.bytes(request.getHeader(HttpHeaders.CONTENT_LENGTH), "Content-Length");
    if ((declared != null && declared > 0) || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
      throw ServiceException.validation("Content-Length", "creation takes no body here (no creation-with-upload): "
        + "create the upload, then PATCH its bytes");
    }
    Long length = TusHeaders.bytes(request.getHeader(TusHeaders.UPLOAD_LENGTH), TusHeaders.UPLOAD_LENGTH);
    String metadata = request.getHeader(TusHeaders.UPLOAD_METADATA);
    JsonObject fields = new JsonObject();
    for (Map.Entry<String, String> pair : TusHeaders.metadata(metadata).entrySet()) {
      fields.put(pair.getKey(), pair.getValue());
    }
    fields.put(MediaApi.TusCreate.UPLOAD_LENGTH, length);
    MediaApi.TusCreate q = MediaApi.TusCreate.from(fields);
    return uploads.create(caller, q, metadata).map(u -> {
      ctx.response().setStatusCode(201)
        .putHeader(HttpHeaders.LOCATION, MediaApi.TUS_PATH + u.id())
        .putHeader(TusHeaders.UPLOAD_EXPIRES, TusHeaders.httpDate(u.expiresAt()))
        .end();
      return null;
    });
  }

  private Future<Void> head(RoutingContext ctx, Caller caller) {
    return uploads.state(caller, id(ctx)).map(u -> {
      HttpServerResponse response = ctx.response().setStatusCode(200)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(TusHeaders.UPLOAD_OFFSET, String.valueOf(u.offset()))
        .putHeader(TusHeaders.UPLOAD_LENGTH, String.valueOf(u.length()))
        .putHeader(TusHeaders.UPLOAD_EXPIRES, TusHeaders.httpDate(u.expiresAt()));
      if (u.metadata() != null) {
        response.putHeader(TusHeaders.UPLOAD_METADATA, u.metadata());
      }
      response.end();
      return null;
    });
  }

  /**
   * A PATCH: {@code application/offset+octet-stream} (415), at the stored offset (409), within the length (413),
   * one at a time per upload (423); then {@link TusPatch} reads the body.
   */
  private Future<Void> patch(RoutingContext ctx, Caller caller) {
    HttpServerRequest request = ctx.request();
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !TusHeaders.PATCH_TYPE.equals(MimePolicy.normalise(type))) {
      throw new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type: a PATCH carries "
        + TusHeaders.PATCH_TYPE, new JsonObject().put("fields", new JsonObject().put("Content-Type",
        "must be " + TusHeaders.PATCH_TYPE)));
    }
    Long offset = TusHeaders.bytes(request.getHeader(TusHeaders.UPLOAD_OFFSET), TusHeaders.UPLOAD_OFFSET);
    if (offset == null) {
      throw ServiceException.validation(TusHeaders.UPLOAD_OFFSET, "is required");
    }
    TusHeaders.Checksum checksum = TusHeaders.checksum(request.getHeader(TusHeaders.UPLOAD_CHECKSUM));
    Long length = TusHeaders.bytes(request.getHeader(HttpHeaders.CONTENT_LENGTH), "Content-Length");
    return uploads.lease(id(ctx)).compose(lease -> {
      TusUpload upload = lease.upload();
      try {
        upload.checkOffset(offset);
        if (length != null) {
          upload.checkFits(length);
        }
      } catch (ServiceException e) {
        return uploads.release(lease).transform(x -> Future.failedFuture(e));
      }
      return uploads.tail(upload).map(tail -> {
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
          ctx.response().writeContinue(); // the upload is held for this PATCH: now the body may come
        }
        new TusPatch(ctx, uploads, lease, caller, checksum, tail).start();
        return (Void) null;
      }).recover(err -> uploads.release(lease).transform(x -> Future.failedFuture(err)));
    });
  }

  private static UUID id(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ServiceException.notFound("upload");
    }
  }
}
