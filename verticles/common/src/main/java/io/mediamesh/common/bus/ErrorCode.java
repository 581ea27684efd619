package io.mediamesh.common.bus;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Failure codes shared by every service. Over the event bus the failure code is the HTTP status, so a gateway maps a
 * reply failure to its HTTP answer without a lookup table per service; the {@link #code()} string is what clients
 * see in the error body.
 */
public enum ErrorCode {
  VALIDATION(400, "validation_failed"),
  UNAUTHENTICATED(401, "unauthenticated"),
  FORBIDDEN(403, "forbidden"),
  NOT_FOUND(404, "not_found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  REQUEST_TIMEOUT(408, "request_timeout"),
  CONFLICT(409, "conflict"),
  /** What was valid once and no longer is (an expired stream token). */
  GONE(410, "gone"),
  PRECONDITION_FAILED(412, "precondition_failed"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large"),
  URI_TOO_LONG(414, "uri_too_long"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  UNPROCESSABLE(422, "unprocessable"),
  /** The resource is held by another request (a tus upload another PATCH is writing). */
  LOCKED(423, "locked"),
  RATE_LIMITED(429, "rate_limited"),
  HEADERS_TOO_LARGE(431, "request_headers_too_large"),
  /** tus 1.0's checksum extension: the body is not what its Upload-Checksum says (not an IANA status). */
  CHECKSUM_MISMATCH(460, "checksum_mismatch"),
  INTERNAL(500, "internal_error"),
  UNAVAILABLE(503, "service_unavailable"),
  TIMEOUT(504, "timeout");

  private static final Map<Integer, ErrorCode> BY_STATUS =
    Arrays.stream(values()).collect(Collectors.toMap(ErrorCode::status, Function.identity()));

  private final int status;
  private final String code;

  ErrorCode(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** True for the caller's mistakes; these never count against a circuit breaker. */
  public boolean isClientError() {
    return status >= 400 && status < 500;
  }

  /** The code for a failure code or HTTP status; anything unknown is an internal error. */
  public static ErrorCode ofStatus(int status) {
    return BY_STATUS.getOrDefault(status, INTERNAL);
  }
}
