package io.mediamesh.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.auth.TokenConfig;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.UUID;

/**
 * Real ES256 access tokens for tests of services other than auth: it answers {@code mediamesh.auth.jwks} on a
 * Vertx with its public key, so the services' verifiers accept exactly the tokens it signs.
 */
public final class TestTokens {

  private final ECKey key;
  private final TokenConfig config;
  private final java.time.Clock clock;

  private TestTokens(ECKey key, TokenConfig config, java.time.Clock clock) {
    this.key = key;
    this.config = config;
    this.clock = clock;
  }

  public static TestTokens create(TokenConfig config) {
    return create(config, java.time.Clock.systemUTC());
  }

  /**
   * Tokens issued at {@code clock}'s time: the services judge expiry on the clock they were started with, so a test
   * that moves it signs with it too (and makes new callers after moving it far: a token issued before expires).
   */
  public static TestTokens create(TokenConfig config, java.time.Clock clock) {
    try {
      return new TestTokens(new ECKeyGenerator(Curve.P_256).keyID("test-" + UUID.randomUUID()).generate(), config,
        clock);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Serves the public key as the auth service would; call before services verify anything. */
  public Future<Void> serveJwks(Vertx vertx) {
    JsonObject jwks = new JsonObject(new JWKSet(key.toPublicJWK()).toString(true));
    return vertx.eventBus().consumer(AuthApi.JWKS.address(), msg -> msg.reply(jwks)).completion();
  }

  /** A caller carrying a valid 15-minute token. */
  public Caller caller(String userId, Role... roles) {
    EnumSet<Role> set = roles.length == 0 ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(Arrays.asList(roles));
    return new Caller(userId, set, token(userId, roles));
  }

  public String token(String userId, Role... roles) {
    Instant now = clock.instant();
    try {
      return io.mediamesh.common.auth.Es256.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder()
        .issuer(config.issuer()).audience(config.audience()).subject(userId)
        .claim("roles", Arrays.stream(roles).map(Enum::name).toList())
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(900))).build(), key);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
