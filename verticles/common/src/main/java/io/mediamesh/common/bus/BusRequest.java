package io.mediamesh.common.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/** One request as a handler sees it: the JSON body (never null), who asked, and the raw headers. */
public record BusRequest(JsonObject body, Caller caller, MultiMap headers) {
}
