package io.mediamesh.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.mediamesh.auth.domain.User;
import io.mediamesh.common.auth.TokenConfig;
import io.mediamesh.common.bus.Role;
import io.mediamesh.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Access tokens are timed by the injected clock: issued now, never before the user's cut-off, expiring after the TTL. */
class AccessTokensTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00.250Z");
  private final TestClock clock = new TestClock(T0);
  private final AccessTokens tokens = new AccessTokens(new TokenConfig("mediamesh", "mediamesh-api",
    Duration.ofSeconds(30)), Duration.ofMinutes(15), clock, claims -> claims.getSubject());
  private final User editor = new User(UUID.randomUUID(), "ed@example.org", "hash", "Ed", Role.EDITOR, false, 1,
    OffsetDateTime.parse("2026-01-01T00:00:00Z"), OffsetDateTime.parse("2026-01-01T00:00:00Z"));

  @Test
  void aTokenIsIssuedNowForTheUsersRoleAndExpiresAfterTheTtl() throws Exception {
    JWTClaimsSet claims = tokens.claims(editor, 0, null);
    assertThat(claims.getIssuer()).isEqualTo("mediamesh");
    assertThat(claims.getAudience()).containsExactly("mediamesh-api");
    assertThat(claims.getSubject()).isEqualTo(editor.id().toString());
    assertThat(claims.getStringListClaim("roles")).containsExactly("EDITOR");
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(T0);
    assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    assertThat(tokens.expiresInSeconds()).isEqualTo(900);
    assertThat(tokens.issue(editor, 0)).as("signed by the signer given").isEqualTo(editor.id().toString());
    clock.advance(Duration.ofHours(2));
    assertThat(tokens.claims(editor, 0, null).getIssueTime().toInstant()).isEqualTo(T0.plus(Duration.ofHours(2)));
    assertThat(tokens.claims(editor, 0, null).getJWTID()).isNotEqualTo(claims.getJWTID());
  }

  @Test
  void aTokenIssuedWithinTheSecondOfACutoffIsMovedPastIt() {
    long sameSecond = T0.toEpochMilli() + 500;
    assertThat(AccessTokens.issuedAt(T0, sameSecond)).isEqualTo(Instant.parse("2026-03-01T12:00:01Z"));
    assertThat(AccessTokens.issuedAt(T0, T0.toEpochMilli() - 1000)).isEqualTo(T0);
    long onTheSecond = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    assertThat(AccessTokens.issuedAt(T0, onTheSecond)).isEqualTo(T0);
    assertThat(tokens.claims(editor, sameSecond, null).getIssueTime().toInstant())
      .isEqualTo(Instant.parse("2026-03-01T12:00:01Z"));
  }
}
