package io.mediamesh.common.validation;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads fields of a JSON request, collecting every problem, then {@link #validate()} fails once with a 400 whose
 * {@code details.fields} names each field at fault (and the message names the first).
 */
public final class Fields {

  private final Map<String, String> problems = new LinkedHashMap<>();
  private final JsonObject body;

  private Fields(JsonObject body) {
    this.body = body == null ? new JsonObject() : body;
  }

  public static Fields of(JsonObject body) {
    return new Fields(body);
  }

  public void problem(String field, String problem) {
    problems.putIfAbsent(field, problem);
  }

  public boolean has(String field) {
    return body.getValue(field) != null;
  }

  /** The raw value, for shapes this class does not read itself (lists, objects). */
  public Object raw(String field) {
    return body.getValue(field);
  }

  public String string(String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        problem(field, "is required");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      problem(field, "must be a string");
      return null;
    }
    if (required && s.isBlank()) {
      problem(field, "is required");
      return null;
    }
    int lone = loneSurrogate(s);
    if (lone >= 0) {
      // not Unicode text: it cannot be stored as sent (PostgreSQL would keep a '?'), so it is not accepted
      problem(field, "is not valid Unicode text (a lone surrogate at character " + lone + ")");
      return null;
    }
    return s;
  }

  /** The index of the first UTF-16 surrogate without its pair, or -1. */
  static int loneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** A trimmed string of bounded length without control characters. */
  public String text(String field, boolean required, int maxLength) {
    String value = string(field, required);
    if (value == null) {
      return null;
    }
    String trimmed = value.strip();
    if ((required && trimmed.isEmpty()) || trimmed.length() > maxLength
      || trimmed.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
      problem(field, "must be " + (required ? "1" : "0") + " to " + maxLength + " characters without control characters");
      return null;
    }
    return trimmed;
  }

  public Boolean bool(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean b)) {
      problem(field, "must be true or false");
      return null;
    }
    return b;
  }

  public Integer integer(String field, Integer defaultValue, long min, long max) {
    Long value = longValue(field, null, min, Math.min(max, Integer.MAX_VALUE));
    return value == null ? defaultValue : Integer.valueOf(value.intValue());
  }

  /** A whole number that must be present. */
  public Integer requiredInteger(String field, long min, long max) {
    if (!has(field)) {
      problem(field, "is required");
      return null;
    }
    return integer(field, null, min, max);
  }

  /** The one UUID field of a request such as {@code {"id": ...}}; fails at once if it is missing or malformed. */
  public static java.util.UUID requiredId(JsonObject body, String field) {
    Fields f = of(body);
    java.util.UUID id = f.uuid(field, true);
    f.validate();
    return id;
  }

  public Long longValue(String field, Long defaultValue, long min, long max) {
    Object value = body.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue())
      || n.longValue() < min || n.longValue() > max) {
      problem(field, "must be a whole number from " + min + " to " + max);
      return defaultValue;
    }
    return n.longValue();
  }

  public java.util.UUID uuid(String field, boolean required) {
    String value = string(field, required);
    if (value == null) {
      return null;
    }
    try {
      java.util.UUID id = java.util.UUID.fromString(value);
      if (!id.toString().equalsIgnoreCase(value)) {
        throw new IllegalArgumentException("not canonical");
      }
      return id;
    } catch (IllegalArgumentException e) {
      problem(field, "must be a UUID");
      return null;
    }
  }

  /** An ISO-8601 instant with an offset, e.g. {@code 2026-12-01T18:00:00Z}. */
  public java.time.OffsetDateTime instant(String field, boolean required) {
    String value = string(field, required);
    if (value == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(value).withOffsetSameInstant(java.time.ZoneOffset.UTC);
    } catch (java.time.format.DateTimeParseException e) {
      problem(field, "must be an ISO-8601 date-time with offset, e.g. 2026-12-01T18:00:00Z");
      return null;
    }
  }

  public <E extends Enum<E>> E enumValue(String field, Class<E> type, boolean required) {
    String value = string(field, required);
    if (value == null) {
      return null;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(value)) {
        return constant;
      }
    }
    problem(field, "must be one of " + String.join(", ",
      java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
    return null;
  }

  public void validate() {
    if (problems.isEmpty()) {
      return;
    }
    JsonObject fields = new JsonObject();
    problems.forEach(fields::put);
    Map.Entry<String, String> first = problems.entrySet().iterator().next();
    throw new ServiceException(ErrorCode.VALIDATION, first.getKey() + ": " + first.getValue(),
      new JsonObject().put("fields", fields));
  }
}
