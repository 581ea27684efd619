package io.mediamesh.common.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A failure a service means to report: a code, a message safe to show to a client, and optional details (for
 * validation, the fields at fault). It crosses the event bus as a {@link ReplyException} whose failure code is the
 * HTTP status and whose message is the JSON of code, message and details.
 */
public class ServiceException extends RuntimeException {

  private final ErrorCode code;
  private final JsonObject details;

  public ServiceException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public ServiceException(ErrorCode code, String message, JsonObject details) {
    super(message, null, false, false);
    this.code = code;
    this.details = details;
  }

  public static ServiceException validation(String field, String problem) {
    return new ServiceException(ErrorCode.VALIDATION, field + ": " + problem,
      new JsonObject().put("fields", new JsonObject().put(field, problem)));
  }

  public static ServiceException notFound(String what) {
    return new ServiceException(ErrorCode.NOT_FOUND, what + " not found");
  }

  public static ServiceException forbidden(String message) {
    return new ServiceException(ErrorCode.FORBIDDEN, message);
  }

  public static ServiceException unauthenticated(String message) {
    return new ServiceException(ErrorCode.UNAUTHENTICATED, message);
  }

  public static ServiceException conflict(String message) {
    return new ServiceException(ErrorCode.CONFLICT, message);
  }

  /** Optimistic concurrency: the caller's version is not the current one. */
  public static ServiceException staleVersion(int expected, int current) {
    return new ServiceException(ErrorCode.CONFLICT, "version " + expected + " is stale; the current version is "
      + current, new JsonObject().put("currentVersion", current));
  }

  public ErrorCode code() {
    return code;
  }

  public JsonObject details() {
    return details;
  }

  public ReplyException toReplyException() {
    JsonObject body = new JsonObject().put("code", code.code()).put("message", getMessage());
    if (details != null) {
      body.put("details", details);
    }
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.status(), body.encode());
  }

  /**
   * Turns any failure into a ServiceException: our own pass through, a bus reply failure is decoded (a missing
   * handler means the service is not there: 503; a timeout: 504), and anything else is an internal error whose
   * message is not shown to clients.
   */
  public static ServiceException from(Throwable failure) {
    if (failure instanceof ServiceException se) {
      return se;
    }
    if (failure instanceof ReplyException re) {
      switch (re.failureType()) {
        case NO_HANDLERS:
          return new ServiceException(ErrorCode.UNAVAILABLE, "service not available");
        case TIMEOUT:
          return new ServiceException(ErrorCode.TIMEOUT, "service did not answer in time");
        case ERROR:
          return new ServiceException(ErrorCode.UNAVAILABLE, "service not reachable");
        default:
          return decode(re);
      }
    }
    return new ServiceException(ErrorCode.INTERNAL, "internal error");
  }

  private static ServiceException decode(ReplyException re) {
    ErrorCode code = ErrorCode.ofStatus(re.failureCode());
    String message = re.getMessage();
    if (message != null && message.startsWith("{")) {
      try {
        JsonObject body = new JsonObject(message);
        return new ServiceException(code, body.getString("message", code.code()), body.getJsonObject("details"));
      } catch (DecodeException | ClassCastException ignored) {
        // fall through: a foreign failure with a brace in its text
      }
    }
    return code == ErrorCode.INTERNAL
      ? new ServiceException(code, "internal error")
      : new ServiceException(code, message == null ? code.code() : message);
  }
}
