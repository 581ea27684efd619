package io.mediamesh.auth;

import com.nimbusds.jwt.SignedJWT;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing keys from configuration (PEM): tokens carry the configured key id; replacing the key in configuration
 * retires the old one, which keeps verifying its tokens; a malformed key fails the start.
 */
@ExtendWith(InfraExtension.class)
class ConfiguredKeyIT {

  static final String EMAIL = "keys-admin@mediamesh.test";
  static final String PASSWORD = "k3ys-and-locks";

  private static String pem() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
      generator.generateKeyPair().getPrivate().getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }

  private static PlatformConfig config(TestInfra infra, String pem, String kid) {
    return infra.platformConfig(new JsonObject()
      .put("admin", new JsonObject().put("email", EMAIL).put("password", PASSWORD))
      .put("auth", new JsonObject().put("signingKeyPem", pem).put("signingKeyId", kid)
        .put("argon2MemoryKib", 8192).put("argon2Iterations", 1)));
  }

  private static JsonObject login(BusClient bus) {
    return Await.result(bus.request(AuthApi.LOGIN, new JsonObject().put("email", EMAIL).put("password", PASSWORD),
      Caller.anonymous()));
  }

  @Test
  void configuredKeySignsAndAReplacedKeyKeepsVerifyingItsTokens(TestInfra infra) throws Exception {
    String tokenA;
    Platform first = Await.result(Platform.start(config(infra, pem(), "key-a"), List.of(AuthModule::new)));
    try {
      tokenA = login(new BusClient(first.vertx(), 10_000)).getString("accessToken");
      assertThat(SignedJWT.parse(tokenA).getHeader().getKeyID()).isEqualTo("key-a");
    } finally {
      Await.result(first.close());
    }

    Platform second = Await.result(Platform.start(config(infra, pem(), "key-b"), List.of(AuthModule::new)));
    try {
      BusClient bus = new BusClient(second.vertx(), 10_000);
      String tokenB = login(bus).getString("accessToken");
      assertThat(SignedJWT.parse(tokenB).getHeader().getKeyID()).isEqualTo("key-b");
      String subject = SignedJWT.parse(tokenA).getJWTClaimsSet().getSubject();
      JsonObject me = Await.result(bus.request(AuthApi.ME, new JsonObject(),
        new Caller(subject, Set.of(Role.ADMIN), tokenA)));
      assertThat(me.getString("email")).isEqualTo(EMAIL);
      JsonObject jwks = Await.result(bus.request(AuthApi.JWKS, new JsonObject(), Caller.anonymous()));
      assertThat(jwks.getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid")))
        .containsExactlyInAnyOrder("key-a", "key-b");
      // configured keys rotate through configuration, not through the API
      ServiceException rotate = (ServiceException) Await.failure(bus.request(AuthApi.KEYS_ROTATE, new JsonObject(),
        new Caller(subject, Set.of(Role.ADMIN), tokenB)));
      assertThat(rotate.code()).isEqualTo(ErrorCode.CONFLICT);
    } finally {
      Await.result(second.close());
    }
  }

  @Test
  void aMalformedKeyFailsTheStart(TestInfra infra) {
    Throwable failure = Await.failure(Platform.start(config(infra,
      "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n", ""), List.of(AuthModule::new)));
    assertThat(failure.getMessage()).contains("auth.signingKeyPem");
  }
}
