package io.mediamesh.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** What an operation answers: a status, an optional JSON body (already encoded) and extra headers. */
public final class Reply {

  private final int status;
  private final Buffer body;
  private final String contentType;
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();

  private Reply(int status, Buffer body) {
    this(status, body, "application/json");
  }

  private Reply(int status, Buffer body, String contentType) {
    this.status = status;
    this.body = body;
    this.contentType = contentType;
  }

  /** A non-JSON answer (the contract document itself). */
  public static Reply content(String contentType, Buffer body) {
    return new Reply(200, body, contentType);
  }

  public static Reply json(int status, JsonObject body) {
    return new Reply(status, body.toBuffer());
  }

  public static Reply ok(JsonObject body) {
    return json(200, body);
  }

  public static Reply created(JsonObject body) {
    return json(201, body);
  }

  /** An answer whose body was encoded before (a cached one). */
  public static Reply encoded(int status, Buffer body) {
    return new Reply(status, body);
  }

  public static Reply noContent() {
    return new Reply(204, null);
  }

  public Reply header(String name, String value) {
    headers.set(name, value);
    return this;
  }

  /** {@code ETag} of a resource's {@code version} field (strong, quoted), when it has one. */
  public Reply etagOfVersion(JsonObject resource) {
    Object version = resource.getValue("version");
    if (version instanceof Number n) {
      headers.set("ETag", ETags.of(n.longValue()));
    }
    return this;
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  public Buffer body() {
    return body;
  }

  public MultiMap headers() {
    return headers;
  }
}
