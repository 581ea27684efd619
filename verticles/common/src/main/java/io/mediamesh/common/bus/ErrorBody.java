package io.mediamesh.common.bus;

import io.vertx.core.json.JsonObject;

/** The one error shape of the public contract: {@code {"error": {"code", "message", "details", "traceId"}}}. */
public final class ErrorBody {

  private ErrorBody() {
  }

  public static JsonObject of(ServiceException e, String traceId) {
    JsonObject error = new JsonObject().put("code", e.code().code()).put("message", e.getMessage());
    error.put("details", e.details() == null ? new JsonObject() : e.details());
    error.put("traceId", traceId);
    return new JsonObject().put("error", error);
  }
}
