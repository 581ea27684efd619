package io.mediamesh.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.auth.TokenVerifier;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestClock;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Profiles on real PostgreSQL, over the event bus: at most five per account, age limits in the tokens a selection
 * issues (and keeps through refreshes), PINs that are needed and locked after wrong guesses (on a test clock), and
 * limit changes that cut the account's tokens off.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProfilesIT {

  private static final String PASSWORD = "s3cret-passw0rd";

  private final TestClock clock = TestClock.running();
  private Platform platform;
  private BusClient bus;

  @BeforeAll
  void start(TestInfra infra) {
    PlatformConfig config = infra.platformConfig(new JsonObject()
      .put("auth", new JsonObject().put("argon2MemoryKib", 8192).put("argon2Iterations", 1)
        .put("pinAttempts", 3).put("pinLockSeconds", 60)));
    platform = Await.result(Platform.start(config, List.of(AuthModule::new), clock));
    bus = new BusClient(platform.vertx(), 10_000);
  }

  @AfterAll
  void stop() {
    Await.result(platform.close());
  }

  private <T> T call(Operation<?> op, JsonObject body, Caller caller) {
    return Await.result(bus.request(op, body, caller));
  }

  private ServiceException refused(Operation<?> op, JsonObject body, Caller caller) {
    return (ServiceException) Await.failure(bus.request(op, body, caller));
  }

  /** The e-mail address of each account made here, by user id. */
  private final java.util.Map<String, String> emails = new java.util.concurrent.ConcurrentHashMap<>();

  /** A new account, logged in: its account-wide caller. */
  private Caller account() {
    String email = "viewer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    call(AuthApi.REGISTER, new JsonObject().put("email", email).put("password", PASSWORD).put("displayName", "V"),
      Caller.anonymous());
    return login(email);
  }

  private Caller login(String email) {
    Caller caller = caller(call(AuthApi.LOGIN, new JsonObject().put("email", email).put("password", PASSWORD),
      Caller.anonymous()));
    emails.put(caller.userId(), email);
    return caller;
  }

  private static Caller caller(JsonObject tokens) {
    JWTClaimsSet claims = claims(tokens);
    try {
      Object limit = claims.getClaim(TokenVerifier.MAX_AGE_CLAIM);
      return new Caller(claims.getSubject(), Set.of(Role.USER), tokens.getString("accessToken"),
        claims.getStringClaim(TokenVerifier.PROFILE_CLAIM), limit == null ? null : ((Number) limit).intValue());
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWTClaimsSet claims(JsonObject tokens) {
    try {
      return SignedJWT.parse(tokens.getString("accessToken")).getJWTClaimsSet();
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonObject create(Caller caller, JsonObject profile) {
    return call(AuthApi.PROFILES_CREATE, profile, caller);
  }

  @Test
  void anAccountHasAtMostFiveProfilesWithUniqueNamesAndKidsLimitsOfAtMostTwelve() {
    Caller owner = account();
    JsonObject kids = create(owner, new JsonObject().put("name", "Kids").put("kids", true));
    assertThat(kids.getInteger("maxAgeRating")).isEqualTo(6);
    assertThat(kids.getBoolean("hasPin")).isFalse();
    assertThat(create(owner, new JsonObject().put("name", "Parent")).getInteger("maxAgeRating")).isEqualTo(18);

    ServiceException sameName = refused(AuthApi.PROFILES_CREATE, new JsonObject().put("name", "kids"), owner);
    assertThat(sameName.code()).isEqualTo(ErrorCode.CONFLICT);
    ServiceException tooOld = refused(AuthApi.PROFILES_CREATE, new JsonObject().put("name", "Teen").put("kids", true)
      .put("maxAgeRating", 16), owner);
    assertThat(tooOld.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(tooOld.getMessage()).contains("maxAgeRating");
    ServiceException oddRating = refused(AuthApi.PROFILES_CREATE, new JsonObject().put("name", "Odd")
      .put("maxAgeRating", 13), owner);
    assertThat(oddRating.code()).isEqualTo(ErrorCode.VALIDATION);

    for (int i = 3; i <= 5; i++) {
      create(owner, new JsonObject().put("name", "P" + i));
    }
    ServiceException sixth = refused(AuthApi.PROFILES_CREATE, new JsonObject().put("name", "P6"), owner);
    assertThat(sixth.code()).isEqualTo(ErrorCode.CONFLICT);
    JsonObject list = call(AuthApi.PROFILES_LIST, new JsonObject(), owner);
    assertThat(list.getJsonArray("items")).hasSize(5);
    // another account sees none of them, and cannot select one
    Caller other = account();
    assertThat(((JsonObject) call(AuthApi.PROFILES_LIST, new JsonObject(), other)).getJsonArray("items")).isEmpty();
    assertThat(refused(AuthApi.PROFILES_SELECT, new JsonObject().put("id", kids.getString("id")), other).code())
      .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void selectingAProfileScopesTheTokensAndARefreshKeepsTheScope() {
    Caller owner = account();
    JsonObject kids = create(owner, new JsonObject().put("name", "Kids").put("kids", true).put("maxAgeRating", 12));
    JsonObject tokens = call(AuthApi.PROFILES_SELECT, new JsonObject().put("id", kids.getString("id")), owner);
    assertThat(tokens.getJsonObject("profile").getString("id")).isEqualTo(kids.getString("id"));
    Caller scoped = caller(tokens);
    assertThat(scoped.profileId()).isEqualTo(kids.getString("id"));
    assertThat(scoped.maxAgeRating()).isEqualTo(12);
    // the service's own verifier reads the claims: a limited profile may not manage profiles
    ServiceException manage = refused(AuthApi.PROFILES_CREATE, new JsonObject().put("name", "Mine"),
      new Caller(scoped.userId(), Set.of(Role.USER), scoped.token()));
    assertThat(manage.code()).isEqualTo(ErrorCode.FORBIDDEN);

    JsonObject refreshed = call(AuthApi.REFRESH, new JsonObject().put("refreshToken",
      tokens.getString("refreshToken")), Caller.anonymous());
    assertThat(caller(refreshed).profileId()).isEqualTo(kids.getString("id"));
    assertThat(caller(refreshed).maxAgeRating()).isEqualTo(12);
  }

  @Test
  void aPinIsNeededAndWrongGuessesLockTheProfileForAWhile() {
    Caller owner = account();
    JsonObject locked = create(owner, new JsonObject().put("name", "Parent").put("pin", "2468"));
    assertThat(locked.getBoolean("hasPin")).isTrue();
    JsonObject select = new JsonObject().put("id", locked.getString("id"));

    ServiceException none = refused(AuthApi.PROFILES_SELECT, select, owner);
    assertThat(none.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(none.details().getString("reason")).isEqualTo("PIN_REQUIRED");
    ServiceException wrong = refused(AuthApi.PROFILES_SELECT, select.copy().put("pin", "1111"), owner);
    assertThat(wrong.details().getString("reason")).isEqualTo("PIN_INVALID");
    assertThat(wrong.details().getInteger("attemptsLeft")).isEqualTo(2);
    assertThat(refused(AuthApi.PROFILES_SELECT, select.copy().put("pin", "not a pin"), owner).details()
      .getInteger("attemptsLeft")).isEqualTo(1);
    ServiceException third = refused(AuthApi.PROFILES_SELECT, select.copy().put("pin", "1357"), owner);
    assertThat(third.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(third.details().getLong("retryAfterSeconds")).isBetween(1L, 60L);
    // locked: even the right PIN waits
    assertThat(refused(AuthApi.PROFILES_SELECT, select.copy().put("pin", "2468"), owner).code())
      .isEqualTo(ErrorCode.RATE_LIMITED);

    clock.advance(Duration.ofSeconds(61));
    JsonObject tokens = call(AuthApi.PROFILES_SELECT, select.copy().put("pin", "2468"), owner);
    assertThat(caller(tokens).profileId()).isEqualTo(locked.getString("id"));
    // a success starts the count again
    assertThat(refused(AuthApi.PROFILES_SELECT, select.copy().put("pin", "0000"), owner).details()
      .getInteger("attemptsLeft")).isEqualTo(2);

    // the PIN taken off: selecting needs none
    call(AuthApi.PROFILES_UPDATE, new JsonObject().put("id", locked.getString("id")).put("removePin", true), owner);
    assertThat(((JsonObject) call(AuthApi.PROFILES_SELECT, select, owner)).getString("accessToken")).isNotBlank();
  }

  @Test
  void changingALimitCutsOffTheOldTokensAndARefreshCarriesTheNewLimit() {
    Caller owner = account();
    JsonObject teen = create(owner, new JsonObject().put("name", "Teen").put("maxAgeRating", 16));
    JsonObject tokens = call(AuthApi.PROFILES_SELECT, new JsonObject().put("id", teen.getString("id")), owner);
    Caller scoped = caller(tokens);
    assertThat(((JsonObject) call(AuthApi.ME, new JsonObject(), scoped)).getString("email")).isNotBlank();

    JsonObject changed = call(AuthApi.PROFILES_UPDATE, new JsonObject().put("id", teen.getString("id"))
      .put("maxAgeRating", 12), owner);
    assertThat(changed.getInteger("maxAgeRating")).isEqualTo(12);
    assertThat(refused(AuthApi.ME, new JsonObject(), scoped).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(refused(AuthApi.ME, new JsonObject(), owner).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);

    JsonObject refreshed = call(AuthApi.REFRESH, new JsonObject().put("refreshToken",
      tokens.getString("refreshToken")), Caller.anonymous());
    assertThat(caller(refreshed).maxAgeRating()).isEqualTo(12);

    // deleted: its sessions end, and never become the account's
    Caller fresh = login(emails.get(owner.userId()));
    call(AuthApi.PROFILES_DELETE, new JsonObject().put("id", teen.getString("id")), fresh);
    ServiceException gone = refused(AuthApi.REFRESH, new JsonObject().put("refreshToken",
      refreshed.getString("refreshToken")), Caller.anonymous());
    assertThat(gone.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void concurrentWrongGuessesCannotPassTheBound() {
    Caller owner = account();
    JsonObject locked = create(owner, new JsonObject().put("name", "Parent").put("pin", "2468"));
    List<io.vertx.core.Future<Object>> guesses = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      guesses.add(bus.request(AuthApi.PROFILES_SELECT, new JsonObject().put("id", locked.getString("id"))
        .put("pin", "100" + i), owner));
    }
    Await.result(io.vertx.core.Future.join(guesses).otherwiseEmpty());
    java.util.Map<ErrorCode, Long> outcomes = guesses.stream().collect(java.util.stream.Collectors.groupingBy(
      g -> ServiceException.from(g.cause()).code(), java.util.stream.Collectors.counting()));
    // three guesses are checked (the bound): two wrong ones are told so, the third locks; the rest are not checked
    assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(ErrorCode.FORBIDDEN, 2L,
      ErrorCode.RATE_LIMITED, 8L));
  }

  @Test
  void aPinProtectedProfileIsChangedFromAnotherProfileOnlyWithItsPin() {
    Caller owner = account();
    JsonObject parent = create(owner, new JsonObject().put("name", "Parent").put("pin", "1357"));
    JsonObject guest = create(owner, new JsonObject().put("name", "Guest"));
    Caller asGuest = caller(call(AuthApi.PROFILES_SELECT, new JsonObject().put("id", guest.getString("id")), owner));
    JsonObject removePin = new JsonObject().put("id", parent.getString("id")).put("removePin", true);

    ServiceException none = refused(AuthApi.PROFILES_UPDATE, removePin, asGuest);
    assertThat(none.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(none.details().getString("reason")).isEqualTo("PIN_REQUIRED");
    ServiceException wrong = refused(AuthApi.PROFILES_UPDATE, removePin.copy().put("currentPin", "0000"), asGuest);
    assertThat(wrong.details().getString("reason")).isEqualTo("PIN_INVALID");
    assertThat(((JsonObject) call(AuthApi.PROFILES_LIST, new JsonObject(), owner)).getJsonArray("items").stream()
      .map(o -> (JsonObject) o).filter(p -> p.getString("id").equals(parent.getString("id")))
      .findFirst().orElseThrow().getBoolean("hasPin")).as("nothing changed").isTrue();
    JsonObject changed = call(AuthApi.PROFILES_UPDATE, removePin.copy().put("currentPin", "1357"), asGuest);
    assertThat(changed.getBoolean("hasPin")).isFalse();

    // the account's own token (a password login) needs none
    assertThat(((JsonObject) call(AuthApi.PROFILES_UPDATE, new JsonObject().put("id", parent.getString("id"))
      .put("pin", "2468"), owner)).getBoolean("hasPin")).isTrue();
    JsonObject delete = new JsonObject().put("id", parent.getString("id"));
    assertThat(refused(AuthApi.PROFILES_DELETE, delete, asGuest).details().getString("reason"))
      .isEqualTo("PIN_REQUIRED");
    call(AuthApi.PROFILES_DELETE, delete.copy().put("currentPin", "2468"), asGuest);
    // a deletion signs the account's tokens out: the owner logs in again and finds it gone
    Caller again = login(emails.get(owner.userId()));
    assertThat(refused(AuthApi.PROFILES_SELECT, delete, again).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }
}
