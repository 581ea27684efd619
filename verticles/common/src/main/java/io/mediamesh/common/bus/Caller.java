package io.mediamesh.common.bus;

import io.vertx.core.MultiMap;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who asked: the user id and roles from a verified access token, and that token, which travels with every bus
 * request so each service verifies it itself. An absent id means anonymous. A token scoped to one of the account's
 * profiles also names the profile and its age limit ({@code maxAgeRating}, null without a profile): browse, search
 * and play hide or refuse what it may not see ({@link io.mediamesh.common.api.AgeRatings}).
 */
public record Caller(String userId, Set<Role> roles, String token, String profileId, Integer maxAgeRating) {

  private static final Caller ANONYMOUS = new Caller(null, Set.of(), null);

  public Caller {
    roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
  }

  /** A caller of the account as a whole (no profile). */
  public Caller(String userId, Set<Role> roles, String token) {
    this(userId, roles, token, null, null);
  }

  /** A caller without a token: for tests and for services that run without a verifier. */
  public Caller(String userId, Set<Role> roles) {
    this(userId, roles, null);
  }

  /** The age limit that applies to this caller: null for none (no profile, or a profile allowed everything). */
  public Integer ageLimit() {
    return io.mediamesh.common.api.AgeRatings.limit(maxAgeRating);
  }

  @Override
  public String toString() {
    return "Caller[" + (userId == null ? "anonymous" : userId) + " " + roles
      + (profileId == null ? "" : " profile " + profileId) + "]"; // never the token
  }

  public static Caller anonymous() {
    return ANONYMOUS;
  }

  public static Caller of(String userId, Role... roles) {
    return new Caller(userId, roles.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(roles)));
  }

  public boolean authenticated() {
    return userId != null;
  }

  public boolean hasAny(Set<Role> wanted) {
    return roles.stream().anyMatch(wanted::contains);
  }

  public static Caller fromHeaders(MultiMap headers) {
    String id = headers.get(BusHeaders.CALLER_ID);
    if (id == null || id.isBlank()) {
      return ANONYMOUS;
    }
    String roles = headers.get(BusHeaders.CALLER_ROLES);
    Set<Role> parsed = roles == null ? Set.of()
      : Arrays.stream(roles.split(",")).map(Role::parse).flatMap(java.util.Optional::stream)
      .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
    String profile = headers.get(BusHeaders.CALLER_PROFILE);
    if (profile == null) {
      return new Caller(id, parsed);
    }
    Integer maxAge;
    try {
      maxAge = Integer.valueOf(headers.get(BusHeaders.CALLER_MAX_AGE));
    } catch (NumberFormatException e) {
      maxAge = 0; // a profile whose limit is absent or unreadable: the strictest limit, never none
    }
    return new Caller(id, parsed, null, profile, maxAge);
  }

  public void toHeaders(MultiMap headers) {
    if (token != null) {
      headers.set(BusHeaders.AUTHORIZATION, "Bearer " + token);
    }
    if (authenticated()) {
      headers.set(BusHeaders.CALLER_ID, userId);
      headers.set(BusHeaders.CALLER_ROLES, roles.stream().map(Enum::name).collect(Collectors.joining(",")));
      if (profileId != null) {
        headers.set(BusHeaders.CALLER_PROFILE, profileId);
        if (maxAgeRating != null) {
          headers.set(BusHeaders.CALLER_MAX_AGE, maxAgeRating.toString());
        }
      }
    }
  }
}
