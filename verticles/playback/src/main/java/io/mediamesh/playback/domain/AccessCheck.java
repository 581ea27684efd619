package io.mediamesh.playback.domain;

import io.mediamesh.common.api.AgeRatings;
import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.PlaybackApi.AccessType;
import io.mediamesh.common.api.PlaybackApi.ContentAccess;
import io.mediamesh.common.api.PlaybackApi.GrantType;
import io.mediamesh.common.api.PlaybackApi.Reason;
import io.mediamesh.common.api.PlaybackApi.Via;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The access check: whether a viewer may play a program or an episode now, as a pure function of the content's rule,
 * the account's rights, the viewer's age limit, the time and the streams already running. The services load these
 * inputs and apply the decision; nothing here reads a clock or a store.
 * <p>
 * The order of the checks is the order of their reasons' precedence: out of its window the content plays for no one
 * ({@code NOT_AVAILABLE}); above the profile's age limit it plays for no right ({@code PARENTAL_BLOCK}); without a
 * ready asset there is nothing to play ({@code NOT_PLAYABLE}); then a right must allow it ({@code NOT_ENTITLED}, or
 * {@code RENTAL_EXPIRED} when only spent rentals would have); last, a free stream slot ({@code STREAM_LIMIT}, unless
 * the plan ends the oldest session instead).
 */
public final class AccessCheck {

  private AccessCheck() {
  }

  /** What a program or episode is, for the check: its ids, its rule (inherited already) and whether it plays. */
  public record Content(ContentType type, UUID id, UUID programId, ContentAccess access, Instant availableFrom,
                        Instant availableUntil, Integer ageRating, boolean playable) {
  }

  /**
   * Everything the decision depends on.
   *
   * @param rights            the account's standing rights (not revoked), of any content: the check picks its own
   * @param maxAgeRating      the viewer profile's limit, null for none
   * @param activeStreams     the account's other sessions still counted
   * @param defaultMaxStreams the limit of an account without a subscription (free, bought or rented content)
   */
  public record Input(Content content, List<Right> rights, Integer maxAgeRating, int activeStreams,
                      int defaultMaxStreams, Instant now) {
  }

  /**
   * The answer. When allowed: {@code via} which right, {@code until} when it stops allowing (null: no end),
   * {@code right} the right's id (null for free content), {@code startsRental} when this play starts a rental's
   * clock, {@code rightEnds} when the right itself ends (a rental's end, whatever the content's window),
   * {@code maxStreams} the account's limit and {@code evictOldest} whether a full account ends its oldest
   * session instead of refusing.
   */
  public record Decision(boolean allowed, Reason reason, Via via, Instant until, UUID right, boolean startsRental,
                         Instant rightEnds, int maxStreams, boolean evictOldest) {

    static Decision refuse(Reason reason) {
      return new Decision(false, reason, null, null, null, false, null, 0, false);
    }

    public JsonObject toJson() {
      return new JsonObject().put("allowed", allowed).put("reason", reason == null ? null : reason.name())
        .put("via", via == null ? null : via.name()).put("until", until == null ? null : until.toString());
    }
  }

  public static Decision decide(Input in) {
    Content c = in.content();
    Instant now = in.now();
    if ((c.availableFrom() != null && now.isBefore(c.availableFrom()))
      || (c.availableUntil() != null && !now.isBefore(c.availableUntil()))) {
      return Decision.refuse(Reason.NOT_AVAILABLE);
    }
    if (!AgeRatings.allows(in.maxAgeRating(), c.ageRating())) {
      return Decision.refuse(Reason.PARENTAL_BLOCK);
    }
    if (!c.playable()) {
      return Decision.refuse(Reason.NOT_PLAYABLE);
    }
    Right subscription = activeSubscription(in.rights(), now);
    int maxStreams = subscription != null ? subscription.maxStreams() : in.defaultMaxStreams();
    boolean evict = subscription != null && subscription.evictOldest();
    Grant grant = entitlement(c, in.rights(), now);
    if (grant.via() == null) {
      return Decision.refuse(grant.expired() ? Reason.RENTAL_EXPIRED : Reason.NOT_ENTITLED);
    }
    if (in.activeStreams() >= maxStreams && !evict) {
      return Decision.refuse(Reason.STREAM_LIMIT);
    }
    Instant until = earliest(grant.until(), c.availableUntil());
    return new Decision(true, null, grant.via(), until, grant.right(), grant.startsRental(), grant.until(),
      maxStreams, evict);
  }

  private record Grant(Via via, Instant until, UUID right, boolean startsRental, boolean expired) {
  }

  /**
   * The best right to play {@code c} with: free first, then a purchase (it never ends), a subscription, a rental
   * already running, and last a rental not started yet (its clock starts only when nothing else allows the play).
   */
  private static Grant entitlement(Content c, List<Right> rights, Instant now) {
    ContentAccess access = c.access();
    if (access.type() == AccessType.FREE) {
      return new Grant(Via.FREE, null, null, false, false);
    }
    List<Right> own = rights.stream().filter(r -> r.covers(c.type(), c.id())
      || (c.programId() != null && r.covers(ContentType.PROGRAM, c.programId()))).toList();
    for (Right r : own) {
      if (r.kind() == GrantType.PURCHASE) {
        return new Grant(Via.PURCHASE, null, r.id(), false, false);
      }
    }
    if (access.type() == AccessType.SUBSCRIPTION) {
      // any subscription in force that covers the packages (an account may hold a bought and a granted one)
      Right covering = null;
      for (Right r : rights) {
        if (r.subscriptionInForce(now)
          && (access.packages().isEmpty() || r.packages().stream().anyMatch(access.packages()::contains))
          && (covering == null || r.endsAt().isAfter(covering.endsAt()))) {
          covering = r;
        }
      }
      if (covering != null) {
        return new Grant(Via.SUBSCRIPTION, covering.endsAt(), covering.id(), false, false);
      }
    }
    boolean expired = false;
    Right waiting = null;
    for (Right r : own) {
      if (r.kind() != GrantType.RENTAL) {
        continue;
      }
      switch (r.state(now)) {
        case "ACTIVE" -> {
          return new Grant(Via.RENTAL, r.endsAt(), r.id(), false, false);
        }
        case "NOT_STARTED" -> waiting = waiting == null || r.startBy().isBefore(waiting.startBy()) ? r : waiting;
        default -> expired = true;
      }
    }
    if (waiting != null) {
      return new Grant(Via.RENTAL, now.plus(waiting.rentalLength()), waiting.id(), true, false);
    }
    return new Grant(null, null, null, false, expired);
  }

  /** The subscription in force at {@code now} with the most streams (an account normally has one). */
  static Right activeSubscription(List<Right> rights, Instant now) {
    Right best = null;
    for (Right r : rights) {
      if (r.subscriptionInForce(now)
        && (best == null || r.maxStreams() > best.maxStreams())) {
        best = r;
      }
    }
    return best;
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
