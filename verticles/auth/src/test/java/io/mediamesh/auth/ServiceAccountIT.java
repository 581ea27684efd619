package io.mediamesh.auth;

import com.nimbusds.jwt.SignedJWT;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.auth.ServiceClientSecret;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.ConfigException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Service accounts: a configured client's secret buys an EDITOR token of a user that cannot log in. */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceAccountIT {

  static final String SECRET = "test-ingest-client-secret-0123456789abcdef";

  private Platform platform;
  private BusClient bus;
  private Caller admin;

  @BeforeAll
  void start(TestInfra infra) {
    PlatformConfig config = infra.platformConfig(new JsonObject()
      .put("admin", new JsonObject().put("email", "root@mediamesh.test").put("password", "correct-horse-42"))
      .put("auth", new JsonObject().put("argon2MemoryKib", 8192).put("argon2Iterations", 1)
        .put("serviceClients", new JsonObject().put("ingest", SECRET))));
    platform = Await.result(Platform.start(config, List.of(AuthModule::new)));
    bus = new BusClient(platform.vertx(), 10_000);
    JsonObject tokens = Await.result(bus.request(AuthApi.LOGIN, new JsonObject().put("email", "root@mediamesh.test")
      .put("password", "correct-horse-42"), Caller.anonymous()));
    admin = new Caller("admin", Set.of(Role.ADMIN), tokens.getString("accessToken"));
  }

  @AfterAll
  void stop() {
    Await.result(platform.close());
  }

  private JsonObject token(String client, String secret) {
    return Await.result(bus.request(AuthApi.SERVICE_TOKEN, new JsonObject().put("clientId", client)
      .put("clientSecret", secret), Caller.anonymous()));
  }

  private ServiceException refused(String client, String secret) {
    return (ServiceException) Await.failure(bus.request(AuthApi.SERVICE_TOKEN, new JsonObject()
      .put("clientId", client).put("clientSecret", secret), Caller.anonymous()));
  }

  private JsonObject serviceUser() {
    JsonObject users = Await.result(bus.request(AuthApi.USERS_LIST, new JsonObject().put("role", "EDITOR")
      .put("size", 100), admin));
    return users.getJsonArray("items").stream().map(JsonObject.class::cast)
      .filter(u -> u.getString("email").equals("ingest@service.mediamesh.invalid")).findFirst().orElseThrow();
  }

  @Test
  void theSecretBuysAnEditorTokenOfTheServiceAccount() throws Exception {
    JsonObject answer = token("ingest", SECRET);
    assertThat(answer.getString("tokenType")).isEqualTo("Bearer");
    assertThat(answer.getLong("expiresIn")).isEqualTo(900L);
    assertThat(answer.containsKey("refreshToken")).isFalse();
    var claims = SignedJWT.parse(answer.getString("accessToken")).getJWTClaimsSet();
    assertThat(claims.getStringListClaim("roles")).containsExactly("EDITOR");
    JsonObject user = serviceUser();
    assertThat(claims.getSubject()).isEqualTo(user.getString("id"));
    // the token is good for any service: here, auth's own "me"
    JsonObject me = Await.result(bus.request(AuthApi.ME, new JsonObject(),
      new Caller(claims.getSubject(), Set.of(Role.EDITOR), answer.getString("accessToken"))));
    assertThat(me.getString("displayName")).isEqualTo("ingest service");
  }

  @Test
  void wrongSecretsAndUnknownClientsAreRefusedAlike() {
    ServiceException wrong = refused("ingest", SECRET + "x");
    ServiceException unknown = refused("search", SECRET);
    assertThat(wrong.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(unknown.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(wrong.getMessage()).isEqualTo(unknown.getMessage());
    assertThat(refused("ingest", "").code()).isEqualTo(ErrorCode.VALIDATION);
  }

  @Test
  void theServiceAccountCannotLogInWithAPassword() {
    for (String password : List.of("", "!service-account", SECRET)) {
      ServiceException e = (ServiceException) Await.failure(bus.request(AuthApi.LOGIN, new JsonObject()
        .put("email", "ingest@service.mediamesh.invalid").put("password", password), Caller.anonymous()));
      assertThat(e.code()).as(password).isIn(ErrorCode.UNAUTHENTICATED, ErrorCode.VALIDATION);
    }
  }

  @Test
  void disablingTheAccountCutsTheClientOff() {
    String id = serviceUser().getString("id");
    Await.result(bus.request(AuthApi.USERS_UPDATE, new JsonObject().put("id", id).put("disabled", true), admin));
    try {
      assertThat(refused("ingest", SECRET).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    } finally {
      Await.result(bus.request(AuthApi.USERS_UPDATE, new JsonObject().put("id", id).put("disabled", false), admin));
    }
    assertThat(token("ingest", SECRET).getString("accessToken")).isNotBlank();
  }

  @Test
  void withoutConfigurationOneDevelopmentSecretIsSharedThroughAFile(@TempDir Path dir) throws Exception {
    JsonObject root = new JsonObject().put("auth", new JsonObject().put("devSecretsDir", dir.toString())
      .put("serviceClients", new JsonObject().put("ingest", "")));
    String first = ServiceClientSecret.resolve(root, "ingest");
    assertThat(first.length()).isGreaterThanOrEqualTo(ServiceClientSecret.MIN_LENGTH);
    assertThat(ServiceClientSecret.resolve(root, "ingest")).isEqualTo(first);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ingest.secret"))))
      .isEqualTo("rw-------");
    assertThat(ServiceClientSecret.resolve(new JsonObject().put("auth", new JsonObject().put("devSecretsDir",
      dir.resolve("other").toString())), "ingest")).isNotEqualTo(first);
    root.getJsonObject("auth").getJsonObject("serviceClients").put("ingest", "short");
    assertThatThrownBy(() -> ServiceClientSecret.resolve(root, "ingest")).isInstanceOf(ConfigException.class)
      .hasMessageContaining("auth.serviceClients.ingest");
  }
}
