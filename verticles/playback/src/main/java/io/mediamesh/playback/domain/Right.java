package io.mediamesh.playback.domain;

import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.PlaybackApi.GrantType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A right an account holds (not revoked): a subscription to a plan until {@code endsAt}, a purchase of a program or
 * episode, or a rental of one that must be started before {@code startBy} and then lasts {@code rentalLength} from
 * its first play. A subscription carries its plan's packages and stream limit.
 */
public record Right(UUID id, GrantType kind, UUID planId, String planName, List<String> packages, int maxStreams,
                    boolean evictOldest, ContentType contentType, UUID contentId, Instant createdAt, Instant startBy,
                    Instant firstPlayedAt, Instant endsAt, Duration rentalLength, String grantedBy, UUID orderId) {

  public static Right subscription(UUID id, UUID planId, String planName, List<String> packages, int maxStreams,
                                   boolean evictOldest, Instant createdAt, Instant endsAt) {
    return new Right(id, GrantType.SUBSCRIPTION, planId, planName, packages, maxStreams, evictOldest, null, null,
      createdAt, null, null, endsAt, null, null, null);
  }

  public static Right purchase(UUID id, ContentType type, UUID contentId, Instant createdAt) {
    return new Right(id, GrantType.PURCHASE, null, null, List.of(), 0, false, type, contentId, createdAt, null, null,
      null, null, null, null);
  }

  public static Right rental(UUID id, ContentType type, UUID contentId, Instant createdAt, Instant startBy,
                             Instant firstPlayedAt, Duration length) {
    return new Right(id, GrantType.RENTAL, null, null, List.of(), 0, false, type, contentId, createdAt, startBy,
      firstPlayedAt, firstPlayedAt == null ? null : firstPlayedAt.plus(length), length, null, null);
  }

  /** Whether this right is about {@code type}/{@code id} (purchases and rentals). */
  public boolean covers(ContentType type, UUID id) {
    return contentId != null && contentType == type && contentId.equals(id);
  }

  /** Whether this is a subscription running at {@code now}. */
  public boolean subscriptionInForce(Instant now) {
    return kind == GrantType.SUBSCRIPTION && now.isBefore(endsAt);
  }

  /** NOT_STARTED, ACTIVE or EXPIRED at {@code now} (a purchase is always ACTIVE). */
  public String state(Instant now) {
    return switch (kind) {
      case PURCHASE -> "ACTIVE";
      case SUBSCRIPTION -> now.isBefore(endsAt) ? "ACTIVE" : "EXPIRED";
      case RENTAL -> firstPlayedAt == null ? (now.isBefore(startBy) ? "NOT_STARTED" : "EXPIRED")
        : now.isBefore(endsAt) ? "ACTIVE" : "EXPIRED";
    };
  }

  public JsonObject toJson(Instant now) {
    JsonObject json = new JsonObject().put("id", id.toString()).put("type", kind.name())
      .put("state", state(now)).put("createdAt", createdAt.toString())
      .put("source", grantedBy != null ? "GRANT" : "ORDER");
    if (orderId != null) {
      json.put("orderId", orderId.toString());
    }
    switch (kind) {
      case SUBSCRIPTION -> json.put("planId", planId.toString()).put("planName", planName)
        .put("packages", new JsonArray(packages)).put("maxStreams", maxStreams).put("endsAt", endsAt.toString());
      case PURCHASE -> json.put("contentType", contentType.name().toLowerCase(java.util.Locale.ROOT))
        .put("contentId", contentId.toString());
      case RENTAL -> json.put("contentType", contentType.name().toLowerCase(java.util.Locale.ROOT))
        .put("contentId", contentId.toString()).put("startBy", startBy.toString())
        .put("firstPlayedAt", firstPlayedAt == null ? null : firstPlayedAt.toString())
        .put("endsAt", endsAt == null ? null : endsAt.toString())
        .put("rentalHours", rentalLength.toHours());
    }
    return json;
  }
}
