package io.mediamesh.common.bus;

/** Header names carried on every event-bus request. */
public final class BusHeaders {
  /** "Bearer <access token>": what a service with a verifier trusts; the x-caller headers are then ignored. */
  public static final String AUTHORIZATION = "authorization";
  public static final String CALLER_ID = "x-caller-id";
  public static final String CALLER_ROLES = "x-caller-roles";
  public static final String CALLER_PROFILE = "x-caller-profile";
  public static final String CALLER_MAX_AGE = "x-caller-max-age";
  public static final String TRACEPARENT = "traceparent";
  public static final String REQUEST_ID = "x-request-id";

  private BusHeaders() {
  }
}
