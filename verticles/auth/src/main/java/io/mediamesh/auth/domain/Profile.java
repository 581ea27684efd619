package io.mediamesh.auth.domain;

import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A profile as stored; {@link #toJson()} is the public shape: whether it has a PIN, never the PIN's hash. */
public record Profile(UUID id, UUID userId, String name, String avatar, boolean kids, int maxAgeRating,
                      String pinHash, int pinFailures, OffsetDateTime pinLockedUntil, int version,
                      OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public boolean hasPin() {
    return pinHash != null;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("name", name)
      .put("avatar", avatar)
      .put("kids", kids)
      .put("maxAgeRating", maxAgeRating)
      .put("hasPin", hasPin())
      .put("createdAt", createdAt.toInstant().toString())
      .put("updatedAt", updatedAt.toInstant().toString())
      .put("version", version);
  }
}
