package io.mediamesh.auth;

import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.api.Limits;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The auth API's requests, read as the gateways and the service both read them: each bad field named. */
class AuthRequestsTest {

  private static JsonObject fields(Runnable read) {
    ServiceException e = catchThrowableOfType(read::run, ServiceException.class);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
    return e.details().getJsonObject("fields");
  }

  private static JsonObject registration(String email, String password) {
    return new JsonObject().put("email", email).put("password", password).put("displayName", "Ada");
  }

  @Test
  void aRegistrationNamesEachBadFieldAndEachPasswordRule() {
    JsonObject bad = fields(() -> AuthApi.Registration.from(new JsonObject().put("email", "not-an-email")
      .put("password", "short").put("displayName", "")));
    assertThat(bad.fieldNames()).containsExactly("email", "password", "displayName");
    assertThat(bad.getString("email")).isEqualTo("must be an e-mail address");
    assertThat(bad.getString("password")).isEqualTo("must be " + Limits.PASSWORD_MIN + " to " + Limits.PASSWORD_MAX
      + " characters");
    assertThat(bad.getString("displayName")).isEqualTo("is required");
    assertThat(fields(() -> AuthApi.Registration.from(registration("a@example.org", "s3cret-passw0rd")
      .put("displayName", "d".repeat(Limits.DISPLAY_NAME_MAX + 1)))).getString("displayName"))
      .isEqualTo("must be 1 to " + Limits.DISPLAY_NAME_MAX + " characters without control characters");
    assertThat(fields(() -> AuthApi.Registration.from(registration("a@example.org", "aaaaaaaaaaaa")))
      .getString("password")).isEqualTo("must mix letters with digits or symbols");
    assertThat(fields(() -> AuthApi.Registration.from(registration("a@example.org", "ab1ab1ab1ab1")))
      .getString("password")).isEqualTo("must use at least 4 different characters");
    assertThat(fields(() -> AuthApi.Registration.from(registration("Ab-12@example.org", "ab-12@EXAMPLE.org")))
      .getString("password")).isEqualTo("must not be the e-mail address");
    assertThat(fields(() -> AuthApi.Registration.from(registration("a@" + "x".repeat(Limits.EMAIL_MAX) + ".org",
      "s3cret-passw0rd"))).fieldNames()).containsExactly("email");
  }

  @Test
  void aRegistrationKeepsTheAddressTrimmedAndRoundTripsWithoutShowingThePassword() {
    AuthApi.Registration q = AuthApi.Registration.from(registration("  Ada@Example.org ", "s3cret-passw0rd"));
    assertThat(q.email()).isEqualTo("Ada@Example.org");
    assertThat(AuthApi.normaliseEmail(q.email())).isEqualTo("ada@example.org");
    assertThat(AuthApi.Registration.from(q.toJson())).isEqualTo(q);
    assertThat(q.toString()).doesNotContain("s3cret");
    AuthApi.UserCreate c = AuthApi.UserCreate.from(registration("ed@example.org", "edit0r-passw0rd")
      .put("role", "EDITOR"));
    assertThat(AuthApi.UserCreate.from(c.toJson())).isEqualTo(c);
    assertThat(c.toString()).doesNotContain("edit0r");
    assertThat(fields(() -> AuthApi.UserCreate.from(registration("ed@example.org", "edit0r-passw0rd")
      .put("role", "GOD"))).getString("role")).isEqualTo("must be one of ADMIN, EDITOR, USER");
  }

  @Test
  void loginAndTokensOnlyNeedToBePresent() {
    assertThat(fields(() -> AuthApi.Login.from(new JsonObject())).fieldNames()).containsExactly("email", "password");
    // an oversized credential is the service's 401, not a 400 telling which part was wrong
    AuthApi.Login long_ = AuthApi.Login.from(new JsonObject().put("email", "x".repeat(1000))
      .put("password", "y".repeat(1000)));
    assertThat(long_.password()).hasSize(1000);
    assertThat(long_.toString()).doesNotContain("yyy");
    assertThat(fields(() -> AuthApi.REFRESH.read(new JsonObject().put("refreshToken", " ")))
      .getString("refreshToken")).isEqualTo("is required");
    assertThat(fields(() -> AuthApi.SERVICE_TOKEN.read(new JsonObject().put("clientId", "ingest")
      .put("clientSecret", ""))).fieldNames()).containsExactly("clientSecret");
    assertThat(AuthApi.LOGOUT.read(new JsonObject().put("refreshToken", "abc")).toJson())
      .isEqualTo(new JsonObject().put("refreshToken", "abc"));
  }

  @Test
  void anUpdateNeedsAUuidAndSomethingToChangeAndSendsOnlyWhatWasGiven() {
    JsonObject nothing = fields(() -> AuthApi.UserUpdate.from(new JsonObject().put("id", "42")));
    assertThat(nothing.fieldNames()).containsExactly("id", "role");
    assertThat(nothing.getString("id")).isEqualTo("must be a UUID");
    assertThat(nothing.getString("role")).isEqualTo("one of role, disabled or displayName is required");
    assertThat(fields(() -> AuthApi.UserUpdate.from(new JsonObject().put("role", "ADMIN").put("disabled", "yes")))
      .fieldNames()).containsExactly("id", "disabled");
    String id = UUID.randomUUID().toString();
    AuthApi.UserUpdate disable = AuthApi.UserUpdate.from(new JsonObject().put("id", id).put("disabled", true));
    assertThat(disable.toJson()).isEqualTo(new JsonObject().put("id", id).put("disabled", true));
    AuthApi.UserUpdate all = AuthApi.UserUpdate.from(new JsonObject().put("id", id).put("role", "USER")
      .put("disabled", false).put("displayName", " Eve "));
    assertThat(all.displayName()).isEqualTo("Eve");
    assertThat(AuthApi.UserUpdate.from(all.toJson())).isEqualTo(all);
  }

  @Test
  void aUserListReadsPageSizeAndRole() {
    JsonObject bad = fields(() -> AuthApi.USERS_LIST.read(new JsonObject().put("page", -1).put("size", 0)
      .put("role", "ROOT")));
    assertThat(bad.fieldNames()).containsExactly("page", "size", "role");
    AuthApi.UserList all = AuthApi.USERS_LIST.read(new JsonObject());
    assertThat(all.page().page()).isZero();
    assertThat(all.page().size()).isEqualTo(20);
    assertThat(all.role()).isNull();
    AuthApi.UserList admins = AuthApi.UserList.from(new JsonObject().put("role", "ADMIN").put("size", 100));
    assertThat(AuthApi.UserList.from(admins.toJson())).isEqualTo(admins);
  }

  @Test
  void aRevocationRoundTripsAndTheirListStartsAtZero() {
    AuthApi.Revocation cut = new AuthApi.Revocation(UUID.randomUUID(), 1_700_000_000_123L);
    assertThat(AuthApi.Revocation.from(cut.toJson())).isEqualTo(cut);
    assertThat(fields(() -> AuthApi.Revocation.from(new JsonObject().put("userId", "u"))).fieldNames())
      .containsExactly("userId", "validAfterMs");
    assertThat(AuthApi.REVOCATIONS.read(new JsonObject()).sinceMs()).isZero();
    assertThat(AuthApi.REVOCATIONS.read(new AuthApi.RevocationsSince(42).toJson()).sinceMs()).isEqualTo(42);
    assertThat(fields(() -> AuthApi.REVOCATIONS.read(new JsonObject().put("sinceMs", "soon"))).fieldNames())
      .containsExactly("sinceMs");
  }

  @Test
  void accessIsDeclaredOnTheOperations() {
    assertThat(AuthApi.LOGIN.access()).isEqualTo(Access.anyone());
    assertThat(AuthApi.LOGOUT.access()).isEqualTo(Access.authenticated());
    assertThat(AuthApi.ME.access()).isEqualTo(Access.authenticated());
    assertThat(AuthApi.USERS_UPDATE.access()).isEqualTo(Access.roles(Role.ADMIN));
    assertThat(AuthApi.KEYS_ROTATE.access()).isEqualTo(Access.roles(Role.ADMIN));
    assertThat(AuthApi.SERVICE_TOKEN.access()).isEqualTo(Access.anyone());
  }
}
