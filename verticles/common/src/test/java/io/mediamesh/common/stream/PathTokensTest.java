package io.mediamesh.common.stream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathTokensTest {

  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  final PathTokens tokens = new PathTokens("a-test-secret-of-more-than-32-characters");
  final UUID session = UUID.randomUUID();

  @Test
  void aSignedTokenGrantsItsPrefixUntilItsExpiry() {
    String token = tokens.sign(session, "media/abc/hls/", NOW.plusSeconds(60));
    PathTokens.Verdict verdict = tokens.verify(token, NOW);
    assertThat(verdict).isInstanceOf(PathTokens.Valid.class);
    PathTokens.Grant grant = ((PathTokens.Valid) verdict).grant();
    assertThat(grant.prefix()).isEqualTo("media/abc/hls/");
    assertThat(grant.session()).isEqualTo(session);
    assertThat(grant.expiresAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+").hasSizeLessThan(PathTokens.MAX_LENGTH);
  }

  @Test
  void atItsExpiryItIsExpiredNotInvalid() {
    String token = tokens.sign(session, "media/abc/hls/", NOW);
    assertThat(tokens.verify(token, NOW)).isEqualTo(new PathTokens.Expired(NOW));
  }

  @Test
  void anyChangeIsInvalidEvenWhenExpired() {
    String token = tokens.sign(session, "media/abc/hls/", NOW.minusSeconds(60));
    int dot = token.indexOf('.');
    String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
    String widened = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("media/abc/hls/", "media/")
      .replace(String.valueOf(NOW.minusSeconds(60).getEpochSecond()), String.valueOf(NOW.plusSeconds(3600)
        .getEpochSecond())).getBytes(StandardCharsets.UTF_8));
    assertThat(tokens.verify(widened + token.substring(dot), NOW)).isInstanceOf(PathTokens.Invalid.class);
    assertThat(new PathTokens("another-secret-of-more-than-32-characters").verify(token, NOW))
      .isInstanceOf(PathTokens.Invalid.class);
    assertThat(tokens.verify("not-a-token", NOW)).isInstanceOf(PathTokens.Invalid.class);
    assertThat(tokens.verify("a.b.c", NOW)).isInstanceOf(PathTokens.Invalid.class);
    assertThat(tokens.verify("x".repeat(PathTokens.MAX_LENGTH + 1), NOW)).isInstanceOf(PathTokens.Invalid.class);
  }

  @Test
  void aTokenHasOneSpellingOnly() {
    String token = tokens.sign(session, "media/abc/hls/", NOW.plusSeconds(60));
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = token.charAt(token.length() - 1);
    // a 32-byte MAC ends in a character with two spare bits: flipping one decodes to the same bytes
    String respelled = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
    assertThat(Base64.getUrlDecoder().decode(respelled.substring(respelled.indexOf('.') + 1)))
      .isEqualTo(Base64.getUrlDecoder().decode(token.substring(token.indexOf('.') + 1)));
    assertThat(tokens.verify(respelled, NOW)).isEqualTo(new PathTokens.Invalid("not canonically encoded"));
  }

  @Test
  void onlyStoragePrefixesAreSignedAndOnlyLongSecretsUsed() {
    assertThatThrownBy(() -> tokens.sign(session, "media/../", NOW)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.sign(session, "media/abc", NOW)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.sign(session, "/media/abc/", NOW)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PathTokens("short")).isInstanceOf(IllegalArgumentException.class);
  }
}
