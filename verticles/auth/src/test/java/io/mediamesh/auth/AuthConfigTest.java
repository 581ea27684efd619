package io.mediamesh.auth;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthConfigTest {

  private static JsonObject root(JsonObject auth) {
    return new JsonObject().put("auth", auth.put("issuer", "mediamesh").put("audience", "mediamesh-api"));
  }

  @Test
  void defaultsAndWhatIsReadOnce() {
    AuthConfig c = AuthConfig.from(root(new JsonObject().put("passwordConcurrency", 3)
      .put("serviceClients", new JsonObject().put("ingest", "").put("notify", "x"))));
    assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.refreshTokenTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(c.passwordConcurrency()).isEqualTo(3);
    assertThat(c.passwordQueue()).as("eight waiting per worker").isEqualTo(24);
    assertThat(c.serviceClients()).containsExactly("ingest", "notify");
    assertThat(c.devSecretsDir()).isEqualTo(Path.of(".mediamesh/secrets"));
    assertThat(c.adminEmail()).isEmpty();
    assertThat(AuthConfig.from(root(new JsonObject().put("passwordQueue", 0))).passwordQueue()).isZero();
  }

  @Test
  void unsafeSettingsAreRefusedAndSecretsNeverPrinted() {
    assertThatThrownBy(() -> AuthConfig.from(root(new JsonObject().put("accessTokenTtlSeconds", 7200))))
      .isInstanceOf(ConfigException.class).hasMessageContaining("accessTokenTtlSeconds");
    assertThatThrownBy(() -> AuthConfig.from(root(new JsonObject().put("argon2MemoryKib", 1024))))
      .isInstanceOf(ConfigException.class).hasMessageContaining("argon2");
    assertThatThrownBy(() -> AuthConfig.from(new JsonObject())).isInstanceOf(ConfigException.class);
    AuthConfig c = AuthConfig.from(root(new JsonObject().put("signingKeyPem", "-----BEGIN SECRET"))
      .put("admin", new JsonObject().put("email", "root@example.org").put("password", "hunter2-hunter2")));
    assertThat(c.toString()).doesNotContain("SECRET").doesNotContain("hunter2");
  }
}
