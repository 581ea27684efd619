package io.mediamesh.auth.domain;

import io.mediamesh.common.bus.Role;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A user as stored; {@link #toJson()} is the public shape and never includes the password hash. */
public record User(UUID id, String email, String passwordHash, String displayName, Role role, boolean disabled,
                   int version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("email", email)
      .put("displayName", displayName)
      .put("role", role.name())
      .put("disabled", disabled)
      .put("createdAt", createdAt.toInstant().toString())
      .put("updatedAt", updatedAt.toInstant().toString())
      .put("version", version);
  }
}
