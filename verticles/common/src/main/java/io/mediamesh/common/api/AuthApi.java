package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Addresses;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The auth service's event-bus API (request/reply, JSON bodies; failures are coded as in {@code ErrorCode}).
 * Access: "anyone" needs no token; "user" needs a valid access token; "admin" needs the ADMIN role.
 * <pre>
 * address                         access   request                                   reply
 * mediamesh.auth.register         anyone   {email, password, displayName}            User
 * mediamesh.auth.login            anyone   {email, password}                         Tokens
 * mediamesh.auth.refresh          anyone   {refreshToken}                            Tokens (the token sent is spent)
 * mediamesh.auth.logout           user     {refreshToken}                            {} (its family is revoked)
 * mediamesh.auth.me               user     {}                                        User
 * mediamesh.auth.jwks             anyone   {}                                        {keys: [JWK...]} (public keys)
 * mediamesh.auth.users.list       admin    {page?, size?, role?}                     {items: [User], page, size, total}
 * mediamesh.auth.users.create     admin    {email, password, displayName, role}      User
 * mediamesh.auth.users.update     admin    {id, role?, disabled?, displayName?}      User
 * mediamesh.auth.users.get        admin    {id}                                      User
 * mediamesh.auth.keys.rotate      admin    {}                                        {kid} (the new signing key)
 * mediamesh.auth.service-token    anyone   {clientId, clientSecret}                  ServiceToken
 * mediamesh.auth.revocations      anyone   {sinceMs?}                                {items: [Revocation]}
 * mediamesh.auth.revoked          (a publish, no reply)                              Revocation
 * mediamesh.auth.profiles.list    user     {}                                        {items: [Profile]}
 * mediamesh.auth.profiles.create  user*    {name, kids?, maxAgeRating?, avatar?, pin?} Profile
 * mediamesh.auth.profiles.update  user*    {id, name?, kids?, maxAgeRating?, avatar?,  Profile
 *                                           pin?, removePin?, currentPin?}
 * mediamesh.auth.profiles.delete  user*    {id, currentPin?}                         {}
 * mediamesh.auth.profiles.select  user     {id, pin?}                                Tokens + {profile: Profile}
 *
 * User         = {id, email, displayName, role: ADMIN|EDITOR|USER, disabled, createdAt, updatedAt, version}
 * Tokens       = {accessToken, refreshToken, tokenType: "Bearer", expiresIn (seconds)}
 * ServiceToken = {accessToken, tokenType: "Bearer", expiresIn (seconds)}: no refresh token; ask again
 * Revocation   = {userId, validAfterMs}: that user's access tokens issued before it are refused everywhere
 * Profile      = {id, name, avatar, kids, maxAgeRating, hasPin, createdAt, updatedAt, version}
 * </pre>
 * Profiles: an account has up to {@link Limits#PROFILES_MAX}; names are unique per account (ignoring case).
 * {@code maxAgeRating} is 0, 6, 12, 16 or 18 (default 18, and 6 for a kids profile, whose limit is at most
 * {@link Limits#KIDS_AGE_RATING_MAX}); a PIN is 4 to 6 digits, stored hashed. Selecting a profile answers a token
 * pair whose access tokens carry the profile and its limit ({@code TokenVerifier.PROFILE_CLAIM}); refreshing them
 * keeps the profile, as it is then. A PIN-protected profile is selected only with its PIN: after
 * {@code auth.pinAttempts} wrong PINs in a row it is locked for {@code auth.pinLockSeconds} (429 with
 * {@code retryAfterSeconds}). *: a token scoped to a profile with an age limit may not create, change or delete
 * profiles (403).
 * Changing a profile's limit or deleting it cuts off the account's access tokens, so no token keeps a limit the
 * profile no longer has (a refresh issues tokens of the profile as it is now). Changing or deleting a PIN-protected
 * profile from a token scoped to another profile needs its PIN ({@code currentPin}, counted as a selection's guess);
 * the account's own token (a password login) and the profile's own need none.
 * {@code service-token} is for services acting on their own (ingest running a scheduled import): each configured
 * service client ({@code auth.serviceClients.<clientId>}, its secret) has a service account, a user with role
 * EDITOR that cannot log in with a password, and gets access tokens of it. An admin disabling that user cuts the
 * client off. Internal: the gateways do not expose it.
 * Failures: 400 validation (details.fields names each field), 401 bad credentials or token (login never says
 * which part was wrong; a wrong client secret, an unknown client and a disabled service account answer alike),
 * 403 role, 404 unknown user, 409 e-mail already registered.
 */
public final class AuthApi {
  public static final String SERVICE = "auth";
  private static final Access ADMINS = Access.roles(Role.ADMIN);
  private static final Access ANYONE = Access.anyone();
  private static final Access AUTHENTICATED = Access.authenticated();
  private static final Pattern EMAIL = Pattern.compile(
    "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
      + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

  public static final Operation<Registration> REGISTER = op("register", ANYONE, Registration::from);
  public static final Operation<Login> LOGIN = op("login", ANYONE, Login::from);
  public static final Operation<RefreshToken> REFRESH = op("refresh", ANYONE, RefreshToken::from);
  public static final Operation<RefreshToken> LOGOUT = op("logout", AUTHENTICATED, RefreshToken::from);
  public static final Operation<Operation.None> ME = op("me", AUTHENTICATED, Operation.None::from);
  public static final Operation<Operation.None> JWKS = op("jwks", ANYONE, Operation.None::from);
  public static final Operation<UserList> USERS_LIST = op("users.list", ADMINS, UserList::from);
  public static final Operation<UserCreate> USERS_CREATE = op("users.create", ADMINS, UserCreate::from);
  public static final Operation<UserUpdate> USERS_UPDATE = op("users.update", ADMINS, UserUpdate::from);
  /** One user (what other services check an admin's target against, e.g. playback's grants). */
  public static final Operation<ById> USERS_GET = op("users.get", ADMINS, ById::from);
  public static final Operation<Operation.None> KEYS_ROTATE = op("keys.rotate", ADMINS, Operation.None::from);
  public static final Operation<ClientCredentials> SERVICE_TOKEN =
    op("service-token", ANYONE, ClientCredentials::from);
  /** Cut-offs changed since {@code sinceMs}: what a verifier loads when it starts and polls as a safety net. */
  public static final Operation<RevocationsSince> REVOCATIONS = op("revocations", ANYONE, RevocationsSince::from);
  /**
   * Published (to every node of the cluster) when a user's cut-off moves: disable, role change, logout, reuse. The
   * payload is a {@link Revocation}.
   */
  public static final String REVOKED = Addresses.of(SERVICE, "revoked");
  public static final Operation<Operation.None> PROFILES_LIST =
    op("profiles.list", AUTHENTICATED, Operation.None::from);
  public static final Operation<ProfileCreate> PROFILES_CREATE =
    op("profiles.create", AUTHENTICATED, ProfileCreate::from);
  public static final Operation<ProfileUpdate> PROFILES_UPDATE =
    op("profiles.update", AUTHENTICATED, ProfileUpdate::from);
  public static final Operation<ProfileDelete> PROFILES_DELETE =
    op("profiles.delete", AUTHENTICATED, ProfileDelete::from);
  public static final Operation<ProfileSelect> PROFILES_SELECT =
    op("profiles.select", AUTHENTICATED, ProfileSelect::from);

  private AuthApi() {
  }

  private static <Q extends Operation.Request> Operation<Q> op(String name, Access access,
                                                               Function<JsonObject, Q> reader) {
    return Operation.of(SERVICE, name, access, reader);
  }

  // ---- field rules of accounts (also applied to the configured first admin) ------------------------------------

  /** Trimmed and lower-cased: the form of an e-mail address that must be unique. */
  public static String normaliseEmail(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /** An e-mail address, trimmed. */
  public static String email(Fields f, String field) {
    String value = f.string(field, true);
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.length() < Limits.EMAIL_MIN || trimmed.length() > Limits.EMAIL_MAX
      || !EMAIL.matcher(trimmed).matches()) {
      f.problem(field, "must be an e-mail address");
      return null;
    }
    return trimmed;
  }

  /** 10 to 128 characters, not only letters or only digits, at least 4 distinct characters, not the e-mail. */
  public static String password(Fields f, String field, String email) {
    String value = f.string(field, true);
    if (value == null) {
      return null;
    }
    if (value.length() < Limits.PASSWORD_MIN || value.length() > Limits.PASSWORD_MAX) {
      f.problem(field, "must be " + Limits.PASSWORD_MIN + " to " + Limits.PASSWORD_MAX + " characters");
    } else if (value.chars().allMatch(Character::isLetter) || value.chars().allMatch(Character::isDigit)) {
      f.problem(field, "must mix letters with digits or symbols");
    } else if (value.chars().distinct().count() < 4) {
      f.problem(field, "must use at least 4 different characters");
    } else if (email != null && normaliseEmail(value).equals(normaliseEmail(email))) {
      f.problem(field, "must not be the e-mail address");
    }
    return value;
  }

  public static String displayName(Fields f, String field, boolean required) {
    return f.text(field, required, Limits.DISPLAY_NAME_MAX);
  }

  // ---- requests -----------------------------------------------------------------------------------------------

  /** {@code register}: a USER account. */
  public record Registration(String email, String password, String displayName) implements Operation.Request {
    public static Registration from(JsonObject body) {
      Fields f = Fields.of(body);
      String email = AuthApi.email(f, "email");
      String password = AuthApi.password(f, "password", email);
      String displayName = AuthApi.displayName(f, "displayName", true);
      f.validate();
      return new Registration(email, password, displayName);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("email", email).put("password", password).put("displayName", displayName);
    }

    @Override
    public String toString() {
      return "Registration[" + email + "]"; // never the password
    }
  }

  /**
   * {@code login}: only presence is checked here; an address or password longer than any valid one is a 401 like
   * every other wrong credential (the service's answer, not a 400 that would tell which part was wrong).
   */
  public record Login(String email, String password) implements Operation.Request {
    public static Login from(JsonObject body) {
      Fields f = Fields.of(body);
      String email = f.string("email", true);
      String password = f.string("password", true);
      f.validate();
      return new Login(email, password);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("email", email).put("password", password);
    }

    @Override
    public String toString() {
      return "Login[" + email + "]"; // never the password
    }
  }

  /** {@code refresh} (the token is spent) and {@code logout} (its family is revoked). */
  public record RefreshToken(String refreshToken) implements Operation.Request {
    public static RefreshToken from(JsonObject body) {
      Fields f = Fields.of(body);
      String token = f.string("refreshToken", true);
      f.validate();
      return new RefreshToken(token);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("refreshToken", refreshToken);
    }

    @Override
    public String toString() {
      return "RefreshToken[...]"; // a bearer secret
    }
  }

  /** {@code users.list}: users of one role (or all) in order of creation, a page of them. */
  public record UserList(Role role, PageRequest page) implements Operation.Request {
    public static UserList from(JsonObject body) {
      Fields f = Fields.of(body);
      PageRequest page = PageRequest.unsorted(f);
      Role role = f.enumValue("role", Role.class, false);
      f.validate();
      return new UserList(role, page);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = page.into(new JsonObject());
      return role == null ? json : json.put("role", role.name());
    }
  }

  /** {@code users.create}: an account of any role, made by an admin. */
  public record UserCreate(String email, String password, String displayName, Role role)
    implements Operation.Request {
    public static UserCreate from(JsonObject body) {
      Fields f = Fields.of(body);
      String email = AuthApi.email(f, "email");
      String password = AuthApi.password(f, "password", email);
      String displayName = AuthApi.displayName(f, "displayName", true);
      Role role = f.enumValue("role", Role.class, true);
      f.validate();
      return new UserCreate(email, password, displayName, role);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("email", email).put("password", password).put("displayName", displayName)
        .put("role", role.name());
    }

    @Override
    public String toString() {
      return "UserCreate[" + email + ", " + role + "]"; // never the password
    }
  }

  /** {@code users.update}: the fields given replace the stored ones (a null field is left as it is); one is needed. */
  public record UserUpdate(UUID id, Role role, Boolean disabled, String displayName) implements Operation.Request {
    public static UserUpdate from(JsonObject body) {
      Fields f = Fields.of(body);
      String idText = f.string("id", true);
      Role role = f.enumValue("role", Role.class, false);
      Boolean disabled = f.bool("disabled");
      String displayName = AuthApi.displayName(f, "displayName", false);
      UUID id = idText == null ? null : parseUuid(idText);
      if (idText != null && id == null) {
        f.problem("id", "must be a UUID");
      }
      if (!f.has("role") && !f.has("disabled") && !f.has("displayName")) {
        f.problem("role", "one of role, disabled or displayName is required");
      }
      f.validate();
      return new UserUpdate(id, role, disabled, displayName);
    }

    private static UUID parseUuid(String text) {
      try {
        return UUID.fromString(text);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id.toString());
      if (role != null) {
        json.put("role", role.name());
      }
      if (disabled != null) {
        json.put("disabled", disabled);
      }
      return displayName == null ? json : json.put("displayName", displayName);
    }
  }

  /** {@code service-token}: a service client's id and secret. */
  public record ClientCredentials(String clientId, String clientSecret) implements Operation.Request {
    public static ClientCredentials from(JsonObject body) {
      Fields f = Fields.of(body);
      String client = f.string("clientId", true);
      String secret = f.string("clientSecret", true);
      f.validate();
      return new ClientCredentials(client, secret);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("clientId", clientId).put("clientSecret", clientSecret);
    }

    @Override
    public String toString() {
      return "ClientCredentials[" + clientId + "]"; // never the secret
    }
  }

  /** {@code revocations}: the cut-offs set after {@code sinceMs} (epoch milliseconds, 0 when absent: all). */
  public record RevocationsSince(long sinceMs) implements Operation.Request {
    public static RevocationsSince from(JsonObject body) {
      Fields f = Fields.of(body);
      Long since = f.longValue("sinceMs", 0L, 0, Long.MAX_VALUE);
      f.validate();
      return new RevocationsSince(since);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("sinceMs", sinceMs);
    }
  }

  // ---- profiles -----------------------------------------------------------------------------------------------

  /** A PIN: 4 to 6 digits. */
  static String pin(Fields f, String field) {
    String value = f.string(field, false);
    if (value != null && (value.length() < Limits.PIN_MIN || value.length() > Limits.PIN_MAX
      || !value.chars().allMatch(c -> c >= '0' && c <= '9'))) {
      f.problem(field, "must be " + Limits.PIN_MIN + " to " + Limits.PIN_MAX + " digits");
      return null;
    }
    return value;
  }

  /** An age rating (0, 6, 12, 16 or 18), or null when absent. */
  public static Integer ageRating(Fields f, String field) {
    Integer value = f.integer(field, null, 0, AgeRatings.ADULT);
    if (value != null && !AgeRatings.valid(value)) {
      f.problem(field, "must be one of " + AgeRatings.VALUES);
      return null;
    }
    return value;
  }

  /**
   * What is wrong with a profile's {@code maxAgeRating} for its kids flag (a kids profile's limit is at most
   * {@link Limits#KIDS_AGE_RATING_MAX}), or null when nothing is; a null value is left as it is.
   */
  public static String kidsLimitProblem(Boolean kids, Integer maxAgeRating) {
    return Boolean.TRUE.equals(kids) && maxAgeRating != null && maxAgeRating > Limits.KIDS_AGE_RATING_MAX
      ? "a kids profile's limit is at most " + Limits.KIDS_AGE_RATING_MAX : null;
  }

  private static void kidsLimit(Fields f, Boolean kids, Integer maxAgeRating) {
    String problem = kidsLimitProblem(kids, maxAgeRating);
    if (problem != null) {
      f.problem("maxAgeRating", problem);
    }
  }

  /** {@code profiles.create}: a new profile of the caller's account. */
  public record ProfileCreate(String name, boolean kids, int maxAgeRating, String avatar, String pin)
    implements Operation.Request {
    /** A kids profile's limit when none is given. */
    public static final int KIDS_DEFAULT = 6;

    public static ProfileCreate from(JsonObject body) {
      Fields f = Fields.of(body);
      String name = f.text("name", true, Limits.PROFILE_NAME_MAX);
      Boolean kids = f.bool("kids");
      Integer max = ageRating(f, "maxAgeRating");
      String avatar = f.text("avatar", false, Limits.AVATAR_MAX);
      String pin = AuthApi.pin(f, "pin");
      kidsLimit(f, kids, max);
      f.validate();
      boolean k = Boolean.TRUE.equals(kids);
      return new ProfileCreate(name.strip(), k, max != null ? max : k ? KIDS_DEFAULT : AgeRatings.ADULT, avatar, pin);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("name", name).put("kids", kids).put("maxAgeRating", maxAgeRating)
        .put("avatar", avatar).put("pin", pin);
    }

    @Override
    public String toString() {
      return "ProfileCreate[" + name + "]"; // never the PIN
    }
  }

  /** {@code profiles.update}: the fields given replace the stored ones; {@code removePin} clears the PIN. */
  public record ProfileUpdate(UUID id, String name, Boolean kids, Integer maxAgeRating, String avatar, String pin,
                              boolean removePin, String currentPin) implements Operation.Request {
    public static ProfileUpdate from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      String name = f.text("name", false, Limits.PROFILE_NAME_MAX);
      Boolean kids = f.bool("kids");
      Integer max = ageRating(f, "maxAgeRating");
      String avatar = f.text("avatar", false, Limits.AVATAR_MAX);
      String pin = AuthApi.pin(f, "pin");
      Boolean remove = f.bool("removePin");
      String currentPin = f.text("currentPin", false, Limits.PIN_INPUT_MAX);
      kidsLimit(f, kids, max);
      if (pin != null && Boolean.TRUE.equals(remove)) {
        f.problem("removePin", "cannot be given with a new pin");
      }
      if (!f.has("name") && !f.has("kids") && !f.has("maxAgeRating") && !f.has("avatar") && !f.has("pin")
        && !Boolean.TRUE.equals(remove)) {
        f.problem("name", "one of name, kids, maxAgeRating, avatar, pin or removePin is required");
      }
      f.validate();
      return new ProfileUpdate(id, name == null ? null : name.strip(), kids, max, avatar, pin,
        Boolean.TRUE.equals(remove), currentPin);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id.toString());
      if (name != null) {
        json.put("name", name);
      }
      if (kids != null) {
        json.put("kids", kids);
      }
      if (maxAgeRating != null) {
        json.put("maxAgeRating", maxAgeRating);
      }
      if (avatar != null) {
        json.put("avatar", avatar);
      }
      if (pin != null) {
        json.put("pin", pin);
      }
      if (currentPin != null) {
        json.put("currentPin", currentPin);
      }
      return removePin ? json.put("removePin", true) : json;
    }

    @Override
    public String toString() {
      return "ProfileUpdate[" + id + "]"; // never the PIN
    }
  }

  /** {@code profiles.delete}: the profile, and its PIN when the caller must give it. */
  public record ProfileDelete(UUID id, String currentPin) implements Operation.Request {
    public static ProfileDelete from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      String currentPin = f.text("currentPin", false, Limits.PIN_INPUT_MAX);
      f.validate();
      return new ProfileDelete(id, currentPin);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id.toString());
      return currentPin == null ? json : json.put("currentPin", currentPin);
    }

    @Override
    public String toString() {
      return "ProfileDelete[" + id + "]"; // never the PIN
    }
  }

  /** {@code profiles.select}: a token pair scoped to the profile; its PIN when it has one. */
  public record ProfileSelect(UUID id, String pin) implements Operation.Request {
    public static ProfileSelect from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      // any string: a wrong-shaped PIN is a wrong PIN (counted), not a 400 that tells what a PIN looks like
      String pin = f.text("pin", false, Limits.PIN_INPUT_MAX);
      f.validate();
      return new ProfileSelect(id, pin);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id.toString());
      return pin == null ? json : json.put("pin", pin);
    }

    @Override
    public String toString() {
      return "ProfileSelect[" + id + "]"; // never the PIN
    }
  }

  /**
   * A user's cut-off: their access tokens issued before {@code validAfterMs} (epoch milliseconds) are refused. What
   * {@link #REVOKED} publishes and {@link #REVOCATIONS} lists.
   */
  public record Revocation(UUID userId, long validAfterMs) {
    /** Reads one; a 400 naming the field when it is not a revocation. */
    public static Revocation from(JsonObject json) {
      Fields f = Fields.of(json);
      UUID userId = f.uuid("userId", true);
      Long at = f.longValue("validAfterMs", null, Long.MIN_VALUE, Long.MAX_VALUE);
      if (!f.has("validAfterMs")) {
        f.problem("validAfterMs", "is required");
      }
      f.validate();
      return new Revocation(userId, at);
    }

    public JsonObject toJson() {
      return new JsonObject().put("userId", userId.toString()).put("validAfterMs", validAfterMs);
    }
  }
}
