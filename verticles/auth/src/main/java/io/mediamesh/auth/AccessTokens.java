package io.mediamesh.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.mediamesh.auth.domain.Profile;
import io.mediamesh.auth.domain.User;
import io.mediamesh.common.auth.TokenConfig;
import io.mediamesh.common.auth.TokenVerifier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Access tokens: ES256 JWTs of a user, their role, the profile they are scoped to (with its age limit) if any, and the
 * configured issuer and audience, timed by the clock.
 */
final class AccessTokens {

  private final TokenConfig config;
  private final Duration ttl;
  private final Clock clock;
  private final Function<JWTClaimsSet, String> signer;

  /** {@code signer} signs with the active key ({@code SigningKeys::sign}). */
  AccessTokens(TokenConfig config, Duration ttl, Clock clock, Function<JWTClaimsSet, String> signer) {
    this.config = config;
    this.ttl = ttl;
    this.clock = clock;
    this.signer = signer;
  }

  /** Seconds a token lives: the {@code expiresIn} of every answer that carries one. */
  long expiresInSeconds() {
    return ttl.toSeconds();
  }

  /** A signed token of {@code user}, not issued before the user's cut-off ({@link #claims}). */
  String issue(User user, long cutoffMs) {
    return signer.apply(claims(user, cutoffMs, null));
  }

  /** A signed token of {@code user} scoped to {@code profile} (null: the account as a whole). */
  String issue(User user, long cutoffMs, Profile profile) {
    return signer.apply(claims(user, cutoffMs, profile));
  }

  /**
   * The claims of a token issued now, or at the user's cut-off when that is later within the second (a token's
   * {@code iat} has whole seconds: one issued just after a logout must not fall before its cut-off).
   */
  JWTClaimsSet claims(User user, long cutoffMs, Profile profile) {
    Instant now = issuedAt(clock.instant(), cutoffMs);
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
    if (profile != null) {
      claims.claim(TokenVerifier.PROFILE_CLAIM, profile.id().toString())
        .claim(TokenVerifier.MAX_AGE_CLAIM, profile.maxAgeRating());
    }
    return claims
      .issuer(config.issuer())
      .audience(config.audience())
      .subject(user.id().toString())
      .claim("roles", List.of(user.role().name()))
      .issueTime(Date.from(now))
      .notBeforeTime(Date.from(now))
      .expirationTime(Date.from(now.plus(ttl)))
      .jwtID(UUID.randomUUID().toString())
      .build();
  }

  /** {@code now}, or the first whole second at or after {@code cutoffMs} when {@code now}'s second is before it. */
  static Instant issuedAt(Instant now, long cutoffMs) {
    return now.getEpochSecond() * 1000 < cutoffMs ? Instant.ofEpochSecond((cutoffMs + 999) / 1000) : now;
  }
}
