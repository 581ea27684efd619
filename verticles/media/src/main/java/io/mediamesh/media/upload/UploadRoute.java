package io.mediamesh.media.upload;

import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.auth.TokenVerifier;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.validation.Fields;
import io.mediamesh.media.AssetKeys;
import io.mediamesh.media.StreamedUploads;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * {@code POST /internal/v1/media/upload}: a multipart form whose {@code contentId} and {@code contentType} fields
 * come before the {@code file} part. The caller's token is verified before a byte of the body is read; the file
 * is piped to storage as it arrives (see {@link S3UploadStream}), so memory use does not grow with the file. A
 * refused upload (413, 415) is answered at once and the connection closed, and whatever was stored is removed.
 */
public final class UploadRoute implements Handler<RoutingContext> {

  private final StreamedUploads uploads;
  private final TokenVerifier tokens;
  private final Access access;

  public UploadRoute(StreamedUploads uploads, TokenVerifier tokens, Access access) {
    this.uploads = uploads;
    this.tokens = tokens;
    this.access = access;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    request.pause();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && parse(length) > uploads.maxBytes() + 1024 * 1024) {
      refuse(ctx, new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, "file: larger than any accepted media"));
      return;
    }
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase().startsWith("multipart/form-data")) {
      refuse(ctx, new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "expected multipart/form-data"));
      return;
    }
    UploadEdge.caller(request, tokens, access).onComplete(ar -> {
      if (ar.failed()) {
        refuse(ctx, ServiceException.from(ar.cause()));
        return;
      }
      if ("100-continue".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT))) {
        ctx.response().writeContinue(); // only now does a careful client send the body
      }
      receive(ctx, ar.result());
    });
  }

  /**
   * Streams the file part to storage under a key made of a new asset id only. The form fields are read when the
   * request has ended (that is when Vert.x has decoded them); if they are wrong the stored object is removed.
   */
  private void receive(RoutingContext ctx, io.mediamesh.common.bus.Caller caller) {
    HttpServerRequest request = ctx.request();
    UUID id = UUID.randomUUID();
    String key = AssetKeys.keyFor(id, "original");
    boolean[] fileSeen = {false};
    Promise<S3UploadStream> stored = Promise.promise();
    request.setExpectMultipart(true);
    // on any refusal, a file already (or later) stored is removed
    Runnable discard = () -> stored.future().onSuccess(S3UploadStream::abort);
    request.uploadHandler(upload -> {
      if (fileSeen[0] || !"file".equals(upload.name())) {
        upload.pause();
        discard.run();
        refuse(ctx, ServiceException.validation(upload.name(), fileSeen[0] ? "only one file per upload"
          : "unexpected file field; the file goes in 'file'"));
        return;
      }
      fileSeen[0] = true;
      S3UploadStream stream = uploads.open(ctx.vertx().getOrCreateContext(), key, upload.contentType());
      upload.pipeTo(stream).onComplete(ar -> {
        if (ar.succeeded()) {
          stored.complete(stream);
        } else {
          stream.abort();
          refuse(ctx, ServiceException.from(ar.cause()));
          stored.tryFail(ar.cause());
        }
      });
    });
    request.endHandler(v -> {
      if (!fileSeen[0]) {
        refuse(ctx, ServiceException.validation("file", "is required"));
        return;
      }
      stored.future().onSuccess(stream -> record(ctx, caller, id, key, stream));
    });
    request.exceptionHandler(err -> {
      discard.run();
      refuse(ctx, new ServiceException(ErrorCode.VALIDATION, "upload interrupted"));
    });
    request.resume();
  }

  private void record(RoutingContext ctx, io.mediamesh.common.bus.Caller caller, UUID id, String key,
                      S3UploadStream stream) {
    Fields f = Fields.of(new JsonObject()
      .put("contentId", ctx.request().formAttributes().get("contentId"))
      .put("contentType", ctx.request().formAttributes().get("contentType")));
    UUID contentId = f.uuid("contentId", true);
    String contentType = MediaApi.contentType(f);
    try {
      f.validate();
    } catch (ServiceException e) {
      stream.abort().onComplete(x -> refuse(ctx, e));
      return;
    }
    uploads.record(caller, id, contentId, contentType, key, stream.result())
      .recover(err -> stream.abort().transform(x -> Future.failedFuture(err)))
      .onComplete(ar -> {
        if (ar.succeeded()) {
          ctx.response().setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.LOCATION, "/api/v1/media/" + id).end(ar.result().encode());
        } else {
          refuse(ctx, ServiceException.from(ar.cause()));
        }
      });
  }

  private static void refuse(RoutingContext ctx, ServiceException error) {
    UploadEdge.refuse(ctx, error);
  }

  private static long parse(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
