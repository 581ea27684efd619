package io.mediamesh.auth;

import com.nimbusds.jwt.SignedJWT;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.db.Databases;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.TopicReader;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The auth service on real PostgreSQL and Kafka, driven over the event bus as the gateways will. */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthServiceIT {

  static final String ADMIN_EMAIL = "root@mediamesh.test";
  static final String ADMIN_PASSWORD = "correct-horse-42";

  private Platform platform;
  private BusClient bus;
  private PlatformConfig config;
  private Pool db;
  private Caller admin;

  @BeforeAll
  void start(TestInfra infra) {
    // cheaper Argon2 in tests (the production cost is measured separately); same code path
    config = infra.platformConfig(new JsonObject()
      .put("admin", new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD))
      .put("auth", new JsonObject().put("argon2MemoryKib", 8192).put("argon2Iterations", 1)));
    platform = Await.result(Platform.start(config, List.of(AuthModule::new)));
    bus = new BusClient(platform.vertx(), 10_000);
    db = Databases.pool(platform.vertx(), config.pg(), config.service("auth").database());
    admin = login(ADMIN_EMAIL, ADMIN_PASSWORD).caller();
  }

  @AfterAll
  void stop() {
    Await.result(db.close());
    Await.result(platform.close());
  }

  record Session(JsonObject tokens) {
    String access() {
      return tokens.getString("accessToken");
    }

    String refresh() {
      return tokens.getString("refreshToken");
    }

    Caller caller() {
      try {
        var claims = SignedJWT.parse(access()).getJWTClaimsSet();
        Set<Role> roles = claims.getStringListClaim("roles").stream().map(Role::valueOf).collect(Collectors.toSet());
        return new Caller(claims.getSubject(), roles, access());
      } catch (java.text.ParseException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private <T> T call(Operation<?> address, JsonObject body, Caller caller) {
    return Await.result(bus.request(address, body, caller));
  }

  private ServiceException refused(Operation<?> address, JsonObject body, Caller caller) {
    return (ServiceException) Await.failure(bus.request(address, body, caller));
  }

  private Session login(String email, String password) {
    return new Session(call(AuthApi.LOGIN, new JsonObject().put("email", email).put("password", password),
      Caller.anonymous()));
  }

  private JsonObject register(String email) {
    return call(AuthApi.REGISTER, new JsonObject().put("email", email).put("password", "s3cret-passw0rd")
      .put("displayName", "Reader " + email), Caller.anonymous());
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
  }

  @Test
  void firstAdminWasCreatedFromTheEnvironment() {
    JsonObject me = call(AuthApi.ME, new JsonObject(), admin);
    assertThat(me.getString("email")).isEqualTo(ADMIN_EMAIL);
    assertThat(me.getString("role")).isEqualTo("ADMIN");
    assertThat(me.containsKey("passwordHash")).isFalse();
  }

  @Test
  void registerNormalisesEmailRefusesDuplicatesAndNamesBadFields() {
    String email = unique("Ada");
    JsonObject user = register("  " + email.toUpperCase() + " ");
    assertThat(user.getString("role")).isEqualTo("USER");
    assertThat(user.getString("email")).isEqualTo(email.toUpperCase());
    ServiceException dup = refused(AuthApi.REGISTER, new JsonObject().put("email", email.toLowerCase())
      .put("password", "an0ther-passw0rd").put("displayName", "Ada again"), Caller.anonymous());
    assertThat(dup.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(dup.details().getJsonObject("fields").containsKey("email")).isTrue();
    ServiceException bad = refused(AuthApi.REGISTER, new JsonObject().put("email", "not-an-email")
      .put("password", "short").put("displayName", ""), Caller.anonymous());
    assertThat(bad.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(bad.details().getJsonObject("fields").fieldNames())
      .containsExactlyInAnyOrder("email", "password", "displayName");
    ServiceException weak = refused(AuthApi.REGISTER, new JsonObject().put("email", unique("w"))
      .put("password", "aaaaaaaaaaaa").put("displayName", "W"), Caller.anonymous());
    assertThat(weak.details().getJsonObject("fields").getString("password")).contains("mix");
    // a user logs in with any case of the address
    assertThat(login(email.toLowerCase(), "s3cret-passw0rd").access()).isNotBlank();
  }

  @Test
  void loginFailureDoesNotSayWhichPartWasWrong() {
    String email = unique("bob");
    register(email);
    ServiceException wrongPassword = refused(AuthApi.LOGIN, new JsonObject().put("email", email)
      .put("password", "wrong-passw0rd"), Caller.anonymous());
    ServiceException unknownUser = refused(AuthApi.LOGIN, new JsonObject().put("email", unique("nobody"))
      .put("password", "wrong-passw0rd"), Caller.anonymous());
    assertThat(wrongPassword.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(unknownUser.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(wrongPassword.getMessage()).isEqualTo(unknownUser.getMessage());
  }

  @Test
  void accessTokenIsAnEs256JwtWithTheRequiredClaimsAndAPublishedKey() throws Exception {
    Session s = login(ADMIN_EMAIL, ADMIN_PASSWORD);
    assertThat(s.tokens().getString("tokenType")).isEqualTo("Bearer");
    assertThat(s.tokens().getLong("expiresIn")).isEqualTo(900);
    SignedJWT jwt = SignedJWT.parse(s.access());
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("mediamesh");
    assertThat(claims.getAudience()).containsExactly("mediamesh-api");
    assertThat(claims.getStringListClaim("roles")).containsExactly("ADMIN");
    assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
      .isEqualTo(Duration.ofMinutes(15));
    JsonObject jwks = call(AuthApi.JWKS, new JsonObject(), Caller.anonymous());
    JsonArray keys = jwks.getJsonArray("keys");
    assertThat(keys.stream().map(k -> ((JsonObject) k).getString("kid"))).contains(jwt.getHeader().getKeyID());
    assertThat(keys.stream().map(k -> (JsonObject) k)).allSatisfy(k -> {
      assertThat(k.getString("kty")).isEqualTo("EC");
      assertThat(k.containsKey("d")).as("no private part published").isFalse();
    });
  }

  @Test
  void refreshRotatesAndReuseRevokesTheWholeFamily() {
    String email = unique("carol");
    register(email);
    Session first = login(email, "s3cret-passw0rd");
    JsonObject second = call(AuthApi.REFRESH, new JsonObject().put("refreshToken", first.refresh()),
      Caller.anonymous());
    assertThat(second.getString("refreshToken")).isNotEqualTo(first.refresh());
    JsonObject third = call(AuthApi.REFRESH, new JsonObject().put("refreshToken", second.getString("refreshToken")),
      Caller.anonymous());
    // the first, already spent token is presented again: that is theft or a bug; the whole family goes
    ServiceException reuse = refused(AuthApi.REFRESH, new JsonObject().put("refreshToken", first.refresh()),
      Caller.anonymous());
    assertThat(reuse.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(reuse.getMessage()).contains("already used");
    ServiceException latest = refused(AuthApi.REFRESH, new JsonObject().put("refreshToken",
      third.getString("refreshToken")), Caller.anonymous());
    assertThat(latest.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    // another login (another family) is unaffected
    Session other = login(email, "s3cret-passw0rd");
    JsonObject renewed = call(AuthApi.REFRESH, new JsonObject().put("refreshToken", other.refresh()),
      Caller.anonymous());
    assertThat(renewed.getString("accessToken")).isNotBlank();
  }

  @Test
  void logoutRevokesAndOnlyForTheOwner() {
    String email = unique("dave");
    register(email);
    Session s = login(email, "s3cret-passw0rd");
    Session mallory = login(ADMIN_EMAIL, ADMIN_PASSWORD);
    call(AuthApi.LOGOUT, new JsonObject().put("refreshToken", s.refresh()), mallory.caller());
    JsonObject stillValid = call(AuthApi.REFRESH, new JsonObject().put("refreshToken", s.refresh()),
      Caller.anonymous());
    assertThat(stillValid.getString("accessToken")).as("someone else's logout does nothing").isNotBlank();
    Session again = login(email, "s3cret-passw0rd");
    call(AuthApi.LOGOUT, new JsonObject().put("refreshToken", again.refresh()), again.caller());
    assertThat(refused(AuthApi.REFRESH, new JsonObject().put("refreshToken", again.refresh()), Caller.anonymous())
      .code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(refused(AuthApi.LOGOUT, new JsonObject().put("refreshToken", again.refresh()), Caller.anonymous())
      .code()).as("logout needs a user").isEqualTo(ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void adminManagesUsersAndRolesWithAnAuditTrail() {
    JsonObject editor = call(AuthApi.USERS_CREATE, new JsonObject().put("email", unique("ed"))
      .put("password", "edit0r-passw0rd").put("displayName", "Ed").put("role", "EDITOR"), admin);
    assertThat(editor.getString("role")).isEqualTo("EDITOR");
    String id = editor.getString("id");
    JsonObject promoted = call(AuthApi.USERS_UPDATE, new JsonObject().put("id", id).put("role", "ADMIN"), admin);
    assertThat(promoted.getString("role")).isEqualTo("ADMIN");
    assertThat(promoted.getInteger("version")).isEqualTo(2);
    var audit = Await.result(db.preparedQuery("SELECT old_role, new_role, changed_by FROM role_changes WHERE user_id = $1")
      .execute(io.vertx.sqlclient.Tuple.of(UUID.fromString(id))));
    assertThat(audit.size()).isEqualTo(1);
    var row = audit.iterator().next();
    assertThat(row.getString("old_role")).isEqualTo("EDITOR");
    assertThat(row.getString("new_role")).isEqualTo("ADMIN");
    assertThat(row.getUUID("changed_by").toString()).isEqualTo(admin.userId());

    JsonObject page = call(AuthApi.USERS_LIST, new JsonObject().put("page", 0).put("size", 2), admin);
    assertThat(page.getJsonArray("items")).hasSizeLessThanOrEqualTo(2);
    assertThat(page.getLong("total")).isGreaterThanOrEqualTo(2);
    JsonObject admins = call(AuthApi.USERS_LIST, new JsonObject().put("role", "ADMIN").put("size", 100), admin);
    assertThat(admins.getJsonArray("items").stream().map(u -> ((JsonObject) u).getString("role"))).containsOnly("ADMIN");
    ServiceException badRole = refused(AuthApi.USERS_UPDATE, new JsonObject().put("id", id).put("role", "GOD"), admin);
    assertThat(badRole.details().getJsonObject("fields").containsKey("role")).isTrue();
    ServiceException missing = refused(AuthApi.USERS_UPDATE, new JsonObject().put("id", UUID.randomUUID().toString())
      .put("disabled", true), admin);
    assertThat(missing.code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void aDisabledUserCanNeitherLogInNorRefresh() {
    String email = unique("eve");
    String id = register(email).getString("id");
    Session s = login(email, "s3cret-passw0rd");
    call(AuthApi.USERS_UPDATE, new JsonObject().put("id", id).put("disabled", true), admin);
    ServiceException login = refused(AuthApi.LOGIN, new JsonObject().put("email", email)
      .put("password", "s3cret-passw0rd"), Caller.anonymous());
    assertThat(login.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(refused(AuthApi.REFRESH, new JsonObject().put("refreshToken", s.refresh()), Caller.anonymous()).code())
      .isEqualTo(ErrorCode.UNAUTHENTICATED);
    call(AuthApi.USERS_UPDATE, new JsonObject().put("id", id).put("disabled", false), admin);
    assertThat(login(email, "s3cret-passw0rd").access()).isNotBlank();
  }

  @Test
  void theLastActiveAdminCannotBeDemoted() {
    // demote every other admin first so that only the bootstrap admin is left
    JsonObject admins = call(AuthApi.USERS_LIST, new JsonObject().put("role", "ADMIN").put("size", 100), admin);
    admins.getJsonArray("items").stream().map(u -> ((JsonObject) u).getString("id"))
      .filter(id -> !id.equals(admin.userId()))
      .forEach(id -> call(AuthApi.USERS_UPDATE, new JsonObject().put("id", id).put("role", "EDITOR"), admin));
    ServiceException last = refused(AuthApi.USERS_UPDATE, new JsonObject().put("id", admin.userId())
      .put("role", "USER"), admin);
    assertThat(last.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(((JsonObject) call(AuthApi.ME, new JsonObject(), admin)).getString("role")).isEqualTo("ADMIN");
  }

  @Test
  void rolesAreEnforcedByTheServiceItself() {
    String email = unique("frank");
    register(email);
    Caller user = login(email, "s3cret-passw0rd").caller();
    assertThat(refused(AuthApi.USERS_LIST, new JsonObject(), user).code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refused(AuthApi.USERS_LIST, new JsonObject(), Caller.anonymous()).code())
      .isEqualTo(ErrorCode.UNAUTHENTICATED);
    // headers claiming ADMIN without a token are not believed
    assertThat(refused(AuthApi.USERS_LIST, new JsonObject(), Caller.of(user.userId(), Role.ADMIN)).code())
      .isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(refused(AuthApi.KEYS_ROTATE, new JsonObject(), user).code()).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void aRetiredKeyStillVerifiesAfterRotationUntilItsTokensExpire() throws Exception {
    Session before = login(ADMIN_EMAIL, ADMIN_PASSWORD);
    String oldKid = SignedJWT.parse(before.access()).getHeader().getKeyID();
    JsonObject rotated = call(AuthApi.KEYS_ROTATE, new JsonObject(), admin);
    String newKid = rotated.getString("kid");
    assertThat(newKid).isNotEqualTo(oldKid);
    Session after = login(ADMIN_EMAIL, ADMIN_PASSWORD);
    assertThat(SignedJWT.parse(after.access()).getHeader().getKeyID()).isEqualTo(newKid);
    // the token signed with the retired key still works, and both keys are published
    assertThat(((JsonObject) call(AuthApi.ME, new JsonObject(), before.caller())).getString("email"))
      .isEqualTo(ADMIN_EMAIL);
    JsonObject jwks = call(AuthApi.JWKS, new JsonObject(), Caller.anonymous());
    assertThat(jwks.getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid")))
      .contains(oldKid, newKid);
  }

  @Test
  void eachCommittedChangePublishesOneEventWithoutThePasswordHash(TestInfra infra) {
    try (TopicReader reader = new TopicReader(infra.kafka().bootstrapServers(), Topics.AUTH)) {
      String email = unique("gina");
      String id = register(email).getString("id");
      // refused changes publish nothing
      Await.failure(bus.request(AuthApi.REGISTER, new JsonObject().put("email", email)
        .put("password", "s3cret-passw0rd").put("displayName", "dup"), Caller.anonymous()));
      Await.failure(bus.request(AuthApi.USERS_UPDATE, new JsonObject().put("id", id).put("role", "NOPE"), admin));
      call(AuthApi.USERS_UPDATE, new JsonObject().put("id", id).put("role", "EDITOR"), admin);
      call(AuthApi.USERS_UPDATE, new JsonObject().put("id", id).put("displayName", "Gina E."), admin);
      Await.until("three events for the user", Duration.ofSeconds(15), () -> eventsFor(reader.poll(), id).size() == 3);
      List<EventEnvelope> events = eventsFor(reader.afterOutbox(platform, "auth", Duration.ofSeconds(15)), id);
      assertThat(events).extracting(EventEnvelope::type)
        .containsExactly("user.created", "user.role_changed", "user.updated");
      assertThat(events).extracting(e -> e.data().getInteger("version")).containsExactly(1, 2, 3);
      assertThat(events.get(1).data().getString("previousRole")).isEqualTo("USER");
      assertThat(events).allSatisfy(e -> {
        assertThat(e.source()).isEqualTo("auth");
        assertThat(e.subject()).isEqualTo(id);
        assertThat(e.data().encode()).doesNotContain("argon2").doesNotContain("password");
      });
    }
  }

  private static List<EventEnvelope> eventsFor(List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> all,
                                               String subject) {
    return all.stream().filter(r -> subject.equals(r.key()))
      .map(r -> EventEnvelope.decode(Buffer.buffer(r.value()))).toList();
  }

  @Test
  void concurrentRefreshesWithOneTokenYieldOneWinner() {
    String email = unique("hal");
    register(email);
    Session s = login(email, "s3cret-passw0rd");
    List<Future<JsonObject>> attempts = java.util.stream.IntStream.range(0, 5).mapToObj(i ->
      bus.<JsonObject>request(AuthApi.REFRESH, new JsonObject().put("refreshToken", s.refresh()), Caller.anonymous()))
      .toList();
    Await.result(Future.join(attempts).otherwiseEmpty());
    assertThat(attempts.stream().filter(Future::succeeded).count()).isEqualTo(1);
    // and the winner's new token died with the family when the others reused the spent one
    String winner = attempts.stream().filter(Future::succeeded).findFirst().orElseThrow().result()
      .getString("refreshToken");
    assertThat(refused(AuthApi.REFRESH, new JsonObject().put("refreshToken", winner), Caller.anonymous()).code())
      .isEqualTo(ErrorCode.UNAUTHENTICATED);
  }


  @Test
  void reuseRacingARotationStillRevokesTheTokenItIssued() {
    String email = unique("ivy");
    register(email);
    for (int round = 0; round < 8; round++) {
      Session s = login(email, "s3cret-passw0rd");
      String spent = s.refresh();
      String live = ((JsonObject) call(AuthApi.REFRESH, new JsonObject().put("refreshToken", spent),
        Caller.anonymous())).getString("refreshToken");
      Future<JsonObject> rotation = bus.request(AuthApi.REFRESH, new JsonObject().put("refreshToken", live),
        Caller.anonymous());
      Future<JsonObject> reuse = bus.request(AuthApi.REFRESH, new JsonObject().put("refreshToken", spent),
        Caller.anonymous());
      Await.result(Future.join(rotation, reuse).otherwiseEmpty());
      assertThat(reuse.failed()).isTrue();
      if (rotation.succeeded()) {
        // whichever ran first, the family is revoked: the token the rotation issued must not work
        assertThat(refused(AuthApi.REFRESH, new JsonObject().put("refreshToken",
          rotation.result().getString("refreshToken")), Caller.anonymous()).code())
          .as("round %d", round).isEqualTo(ErrorCode.UNAUTHENTICATED);
      }
    }
  }
}
