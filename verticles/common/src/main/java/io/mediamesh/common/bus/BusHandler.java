package io.mediamesh.common.bus;

import io.vertx.core.Future;

/** Answers one bus operation: a JsonObject, JsonArray or null reply, or a failed future (a ServiceException). */
@FunctionalInterface
public interface BusHandler {
  Future<?> handle(BusRequest request);
}
