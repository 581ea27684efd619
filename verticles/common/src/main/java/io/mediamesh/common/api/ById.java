package io.mediamesh.common.api;

import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** The request of every operation that names one resource and nothing else: {@code {id}}. */
public record ById(UUID id) implements Operation.Request {

  public static ById from(JsonObject body) {
    return new ById(Fields.requiredId(body, "id"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString());
  }
}
