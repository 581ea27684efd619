package io.mediamesh.common.api;

import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** The request of every operation that asks for what belongs to one program or episode: {@code {contentId}}. */
public record ByContent(UUID contentId) implements Operation.Request {

  public static ByContent from(JsonObject body) {
    return new ByContent(Fields.requiredId(body, "contentId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("contentId", contentId.toString());
  }
}
