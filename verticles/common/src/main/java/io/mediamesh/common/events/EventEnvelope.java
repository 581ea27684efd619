package io.mediamesh.common.events;

import io.mediamesh.common.observability.RequestContext;
import io.mediamesh.common.observability.TraceContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one envelope of every domain event (SPEC "Events"). {@code subject} is the aggregate id and the Kafka record
 * key; {@code data} is the full aggregate snapshot, including its {@code version}.
 */
public record EventEnvelope(UUID id, String type, int schemaVersion, String source, Instant time, String subject,
                            String traceparent, JsonObject data) {

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z][a-z0-9_]*)+");

  public EventEnvelope {
    Objects.requireNonNull(id, "id");
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("type must look like 'content.published', got " + type);
    }
    if (schemaVersion < 1) {
      throw new IllegalArgumentException("schemaVersion must be at least 1");
    }
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("source is required");
    }
    Objects.requireNonNull(time, "time");
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject is required");
    }
    Objects.requireNonNull(data, "data");
  }

  /** A new event in the current trace (or a new trace when none is active). */
  public static EventEnvelope create(String type, String source, String subject, JsonObject data) {
    RequestContext rc = RequestContext.current();
    TraceContext trace = rc != null ? rc.trace().child() : TraceContext.root();
    return new EventEnvelope(UUID.randomUUID(), type, 1, source, Instant.now(), subject, trace.header(), data);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", id.toString())
      .put("type", type)
      .put("schemaVersion", schemaVersion)
      .put("source", source)
      .put("time", time.toString())
      .put("subject", subject);
    if (traceparent != null) {
      json.put("traceparent", traceparent);
    }
    return json.put("data", data);
  }

  public Buffer encode() {
    return toJson().toBuffer();
  }

  /** Strict decoding: anything missing or malformed is an {@link IllegalArgumentException} naming the field. */
  public static EventEnvelope fromJson(JsonObject json) {
    try {
      return new EventEnvelope(
        UUID.fromString(require(json, "id")),
        require(json, "type"),
        json.getInteger("schemaVersion", 0),
        require(json, "source"),
        Instant.parse(require(json, "time")),
        require(json, "subject"),
        json.getString("traceparent"),
        Objects.requireNonNull(json.getJsonObject("data"), "data is required"));
    } catch (ClassCastException | DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("malformed event envelope: " + e.getMessage());
    }
  }

  public static EventEnvelope decode(Buffer buffer) {
    if (buffer == null) {
      throw new IllegalArgumentException("empty event");
    }
    try {
      return fromJson(new JsonObject(buffer));
    } catch (DecodeException e) {
      throw new IllegalArgumentException("event is not a JSON object");
    }
  }

  private static String require(JsonObject json, String field) {
    String value = json.getString(field);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }
}
