package io.mediamesh.auth;

import io.mediamesh.common.api.Limits;
import com.nimbusds.jwt.JWTClaimsSet;
import io.mediamesh.auth.crypto.PasswordHasher;
import io.mediamesh.auth.crypto.PasswordWork;
import io.mediamesh.auth.crypto.SigningKeys;
import io.mediamesh.auth.domain.User;
import io.mediamesh.auth.domain.UserInput;
import io.mediamesh.auth.persistence.RefreshTokenRepository;
import io.mediamesh.auth.persistence.UserRepository;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Users, passwords and tokens. Password hashing runs on worker threads; every change is written with its event
 * ({@code user.*} to {@code auth.events}) in one transaction.
 */
public final class AuthService {

  private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
  private static final String SOURCE = "auth";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String BAD_LOGIN = "invalid e-mail or password";

  private final Vertx vertx;
  private final Pool pool;
  private final AuthConfig config;
  private final PasswordHasher hasher;
  private final PasswordWork passwords;
  private final SigningKeys keys;
  private final UserRepository users = new UserRepository();
  private final RefreshTokenRepository refreshTokens = new RefreshTokenRepository();
  private final SecureRandom random = new SecureRandom();

  public AuthService(Vertx vertx, Pool pool, AuthConfig config, PasswordHasher hasher, PasswordWork passwords,
                     SigningKeys keys) {
    this.vertx = vertx;
    this.passwords = passwords;
    this.pool = pool;
    this.config = config;
    this.hasher = hasher;
    this.keys = keys;
  }

  // ---- self-service -------------------------------------------------------------------------------------------

  public Future<JsonObject> register(JsonObject body) {
    Fields f = Fields.of(body);
    String email = UserInput.email(f, "email");
    String password = UserInput.password(f, "password", email);
    String displayName = UserInput.displayName(f, "displayName", true);
    f.validate();
    return create(email, password, displayName, Role.USER);
  }

  public Future<JsonObject> login(JsonObject body) {
    Fields f = Fields.of(body);
    String email = f.string("email", true);
    String password = f.string("password", true);
    f.validate();
    if (password.length() > UserInput.PASSWORD_MAX || email.length() > Limits.EMAIL_MAX) {
      // no hash of an oversized input: it cannot be a valid credential
      return Future.failedFuture(ServiceException.unauthenticated(BAD_LOGIN));
    }
    return users.byEmail(pool, UserInput.normaliseEmail(email))
      .compose(found -> passwords.submit(() -> {
        if (found.isEmpty()) {
          hasher.burn(password);
          return false;
        }
        return hasher.verify(password, found.get().passwordHash());
      }).compose(ok -> {
        if (!ok || found.get().disabled()) {
          return Future.failedFuture(ServiceException.unauthenticated(BAD_LOGIN));
        }
        User user = found.get();
        return pool.withTransaction(tx -> issue(tx, user, UUID.randomUUID(), null));
      }));
  }

  /** Rotates a refresh token; presenting one already spent or revoked revokes its whole family. */
  public Future<JsonObject> refresh(JsonObject body) {
    Fields f = Fields.of(body);
    String presented = f.string("refreshToken", true);
    f.validate();
    return pool.withTransaction(tx -> refreshTokens.lockFamilyOf(tx, sha256(presented)).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Refresh.refused("invalid refresh token"));
      }
      RefreshTokenRepository.StoredToken token = found.get();
      if (token.used() || token.revoked()) {
        return refreshTokens.revokeFamily(tx, token.familyId(), "reuse")
          .compose(n -> {
            if (n == 0) {
              return Future.succeededFuture(Refresh.refused("refresh token already used; this session has been revoked"));
            }
            // a stolen token was replayed: the access tokens of the user's sessions go too
            LOG.warn("refresh token reuse for user {}: family {} revoked", token.userId(), token.familyId());
            return cutOff(tx, token.userId()).map(cut -> new Refresh(null,
              "refresh token already used; this session has been revoked", cut));
          });
      }
      if (token.expiresAt().toInstant().isBefore(Instant.now())) {
        return Future.succeededFuture(Refresh.refused("refresh token expired"));
      }
      return users.byId(tx, token.userId()).compose(user -> {
        if (user.isEmpty() || user.get().disabled()) {
          return refreshTokens.revokeFamily(tx, token.familyId(), "user disabled")
            .map(n -> Refresh.refused("invalid refresh token"));
        }
        return refreshTokens.markUsed(tx, token.id())
          .compose(v -> issue(tx, user.get(), token.familyId(), token.id()))
          .map(Refresh::ok);
      });
    })).compose(result -> {
      announce(result.cut());
      return result.tokens() != null ? Future.succeededFuture(result.tokens())
        : Future.failedFuture(ServiceException.unauthenticated(result.refusal()));
    });
  }

  /** The outcome of a refresh; a refusal still commits (a reuse must revoke the family and cut off its tokens). */
  private record Refresh(JsonObject tokens, String refusal, Revoked cut) {
    static Refresh ok(JsonObject tokens) {
      return new Refresh(tokens, null, null);
    }

    static Refresh refused(String why) {
      return new Refresh(null, why, null);
    }
  }

  /** A user's new cut-off, to announce once its transaction has committed. */
  record Revoked(UUID userId, long validAfterMs) {
  }

  /**
   * Moves a user's cut-off to now (or just past the previous one's second, whichever is later): their access tokens
   * issued before it are refused everywhere once announced ({@link #announce}). Never moves it back.
   */
  private Future<Revoked> cutOff(SqlConnection tx, UUID userId) {
    long now = System.currentTimeMillis();
    // past every token issued so far: tokens issued after an earlier cut-off may carry its next whole second
    return tx.preparedQuery("UPDATE users SET tokens_valid_after = CASE WHEN tokens_valid_after IS NULL THEN $2 "
        + "ELSE greatest($2, date_trunc('second', tokens_valid_after) + interval '1.001 seconds') END "
        + "WHERE id = $1 RETURNING tokens_valid_after")
      .execute(io.vertx.sqlclient.Tuple.of(userId, OffsetDateTime.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC)))
      .map(rows -> new Revoked(userId, rows.size() == 0 ? now
        : rows.iterator().next().getOffsetDateTime(0).toInstant().toEpochMilli()));
  }

  /** Publishes a committed cut-off to every verifier of the cluster. */
  private void announce(Revoked cut) {
    if (cut != null) {
      vertx.eventBus().publish(io.mediamesh.common.api.AuthApi.REVOKED, new JsonObject()
        .put("userId", cut.userId().toString()).put("validAfterMs", cut.validAfterMs()));
    }
  }

  /** The cut-offs set since {@code sinceMs}: what a verifier loads when it starts and polls as a safety net. */
  public Future<JsonObject> revocations(JsonObject body) {
    long since = body.getLong("sinceMs", 0L);
    return pool.preparedQuery("SELECT id, tokens_valid_after FROM users WHERE tokens_valid_after > $1")
      .execute(io.vertx.sqlclient.Tuple.of(OffsetDateTime.ofInstant(Instant.ofEpochMilli(since), ZoneOffset.UTC)))
      .map(rows -> {
        JsonArray items = new JsonArray();
        rows.forEach(r -> items.add(new JsonObject().put("userId", r.getUUID(0).toString())
          .put("validAfterMs", r.getOffsetDateTime(1).toInstant().toEpochMilli())));
        return new JsonObject().put("items", items);
      });
  }

  /** Revokes the family of the caller's refresh token; idempotent, and silent about tokens of others. */
  public Future<JsonObject> logout(Caller caller, JsonObject body) {
    Fields f = Fields.of(body);
    String presented = f.string("refreshToken", true);
    f.validate();
    return pool.withTransaction(tx -> refreshTokens.lockFamilyOf(tx, sha256(presented)).compose(found -> {
      if (found.isPresent() && found.get().userId().toString().equals(caller.userId())) {
        return refreshTokens.revokeFamily(tx, found.get().familyId(), "logout")
          .compose(n -> cutOff(tx, found.get().userId()));
      }
      return Future.<Revoked>succeededFuture();
    })).map(cut -> {
      announce(cut);
      return new JsonObject();
    });
  }

  public Future<JsonObject> me(Caller caller) {
    return users.byId(pool, uuid(caller.userId(), "subject"))
      .map(u -> u.orElseThrow(() -> ServiceException.notFound("user")).toJson());
  }

  public JsonObject jwks() {
    return new JsonObject(keys.published().toString(true));
  }

  // ---- administration -----------------------------------------------------------------------------------------

  public Future<JsonObject> listUsers(JsonObject body) {
    Fields f = Fields.of(body);
    int page = f.integer("page", 0, 0, Limits.PAGE_MAX);
    int size = f.integer("size", 20, 1, Limits.SIZE_MAX);
    Role role = f.enumValue("role", Role.class, false);
    f.validate();
    return users.list(pool, role, page, size).map(p -> new JsonObject()
      .put("items", new JsonArray(p.items().stream().map(User::toJson).toList()))
      .put("page", page).put("size", size).put("total", p.total()));
  }

  public Future<JsonObject> createUser(JsonObject body) {
    Fields f = Fields.of(body);
    String email = UserInput.email(f, "email");
    String password = UserInput.password(f, "password", email);
    String displayName = UserInput.displayName(f, "displayName", true);
    Role role = f.enumValue("role", Role.class, true);
    f.validate();
    return create(email, password, displayName, role);
  }

  /** Changes role, disabled flag or display name; keeps at least one active admin; disabling ends sessions. */
  public Future<JsonObject> updateUser(Caller admin, JsonObject body) {
    Fields f = Fields.of(body);
    String idText = f.string("id", true);
    Role role = f.enumValue("role", Role.class, false);
    Boolean disabled = f.bool("disabled");
    String displayName = UserInput.displayName(f, "displayName", false);
    if (idText != null && parseUuid(idText).isEmpty()) {
      f.problem("id", "must be a UUID");
    }
    if (!f.has("role") && !f.has("disabled") && !f.has("displayName")) {
      f.problem("role", "one of role, disabled or displayName is required");
    }
    f.validate();
    UUID id = UUID.fromString(idText);
    return pool.withTransaction(tx -> users.byIdForUpdate(tx, id).compose(found -> {
      User before = found.orElseThrow(() -> ServiceException.notFound("user"));
      Role newRole = role == null ? before.role() : role;
      boolean newDisabled = disabled == null ? before.disabled() : disabled;
      String newName = displayName == null ? before.displayName() : displayName;
      boolean losesAdmin = before.role() == Role.ADMIN && !before.disabled()
        && (newRole != Role.ADMIN || newDisabled);
      Future<Void> guard = !losesAdmin ? Future.succeededFuture()
        : lockAdmins(tx).compose(v -> users.countActiveAdmins(tx)).compose(n -> n <= 1
        ? Future.failedFuture(ServiceException.conflict("the last active admin cannot be demoted or disabled"))
        : Future.succeededFuture());
      return guard.compose(v -> users.update(tx, id, newName, newRole, newDisabled)).compose(after -> {
        Future<Void> steps = Future.succeededFuture();
        if (newRole != before.role()) {
          steps = steps.compose(v -> users.recordRoleChange(tx, id, before.role(), newRole, admin.userId()))
            .compose(v -> Outbox.append(tx, Topics.AUTH, EventEnvelope.create("user.role_changed", SOURCE,
              id.toString(), after.toJson().put("previousRole", before.role().name()))));
        }
        if (newDisabled != before.disabled() || !newName.equals(before.displayName())) {
          steps = steps.compose(v -> Outbox.append(tx, Topics.AUTH,
            EventEnvelope.create("user.updated", SOURCE, id.toString(), after.toJson())));
        }
        if (newDisabled && !before.disabled()) {
          steps = steps.compose(v -> refreshTokens.revokeAllOfUser(tx, id, "disabled").mapEmpty());
        }
        boolean cut = newDisabled && !before.disabled() || newRole != before.role();
        // tokens carry the role: a disabled or re-roled user's tokens stop everywhere, not when they expire
        return steps.compose(v -> cut ? cutOff(tx, id) : Future.<Revoked>succeededFuture())
          .map(revoked -> new Object[] {after.toJson(), revoked});
      });
    })).map(done -> {
      announce((Revoked) done[1]);
      return (JsonObject) done[0];
    });
  }

  /**
   * Creates the first admin from {@code MEDIAMESH_ADMIN_EMAIL} / {@code MEDIAMESH_ADMIN_PASSWORD} when no admin
   * exists (also when several instances start at once). An existing user with that e-mail is promoted.
   */
  public Future<Void> bootstrapAdmin(java.nio.file.Path devSecretsDir) {
    if (config.adminEmail().isBlank() || config.adminPassword().isBlank()) {
      return generatedAdmin(devSecretsDir);
    }
    return bootstrapAdmin(config.adminEmail(), config.adminPassword(), false, devSecretsDir);
  }

  /** The address of the admin a platform makes for itself when none is configured. */
  static final String GENERATED_ADMIN = "admin@mediamesh.local";

  /**
   * With no {@code MEDIAMESH_ADMIN_*} and no admin yet (a newcomer's first start), an admin with a generated password,
   * kept owner-only in {@code <devSecretsDir>/admin.password} and told once in the log, so the platform is never
   * running with no way in.
   */
  private Future<Void> generatedAdmin(java.nio.file.Path dir) {
    return pool.query("SELECT 1 FROM users WHERE role = 'ADMIN' LIMIT 1").execute().compose(admins -> admins.size() > 0
      ? Future.succeededFuture()
      : vertx.executeBlocking(() -> io.mediamesh.common.auth.DevSecrets.resolve(dir, "admin.password", 32,
        "admin.password"), false)
        .compose(password -> bootstrapAdmin(GENERATED_ADMIN, password, true, dir)));
  }

  private Future<Void> bootstrapAdmin(String configuredEmail, String password, boolean generated,
                                      java.nio.file.Path dir) {
    Fields f = Fields.of(new JsonObject().put("email", configuredEmail).put("password", password));
    String email = UserInput.email(f, "email");
    UserInput.password(f, "password", email);
    try {
      f.validate();
    } catch (ServiceException e) {
      return Future.failedFuture(new IllegalArgumentException("MEDIAMESH_ADMIN_EMAIL / MEDIAMESH_ADMIN_PASSWORD: "
        + e.getMessage()));
    }
    return vertx.executeBlocking(() -> hasher.hash(password), false).compose(hash ->
      pool.withTransaction(tx -> lockAdmins(tx)
        .compose(v -> tx.query("SELECT 1 FROM users WHERE role = 'ADMIN' LIMIT 1").execute())
        .compose(admins -> {
          if (admins.size() > 0) {
            return Future.succeededFuture();
          }
          return users.byEmail(tx, UserInput.normaliseEmail(email)).compose(existing -> {
            if (existing.isPresent()) {
              User u = existing.get();
              return users.update(tx, u.id(), u.displayName(), Role.ADMIN, false)
                .compose(after -> users.recordRoleChange(tx, u.id(), u.role(), Role.ADMIN, null)
                  .compose(v -> Outbox.append(tx, Topics.AUTH, EventEnvelope.create("user.role_changed", SOURCE,
                    u.id().toString(), after.toJson().put("previousRole", u.role().name())))));
            }
            return insertUser(tx, email, hash, "Administrator", Role.ADMIN).mapEmpty();
          }).onSuccess(v -> {
            if (!generated) {
              LOG.info("first admin account {} created", email);
            } else {
              LOG.warn("No admin was configured, so one was made: sign in as {} with the password {} (also in {}, "
                + "readable only by its owner). To use your own: sign in, create an admin of yours "
                + "(POST /api/v1/cms/users with role ADMIN), then disable this one (PATCH /api/v1/cms/users/{id} "
                + "with disabled: true); or set MEDIAMESH_ADMIN_EMAIL and MEDIAMESH_ADMIN_PASSWORD before the "
                + "first start.", email, password, dir.resolve("admin.password").toAbsolutePath());
            }
          });
        })));
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  private Future<JsonObject> create(String email, String password, String displayName, Role role) {
    return passwords.submit(() -> hasher.hash(password))
      .compose(hash -> pool.withTransaction(tx -> insertUser(tx, email, hash, displayName, role)))
      .map(User::toJson)
      .recover(err -> err instanceof PgException pe && UNIQUE_VIOLATION.equals(pe.getSqlState())
        ? Future.failedFuture(new ServiceException(ErrorCode.CONFLICT, "email: already registered",
        new JsonObject().put("fields", new JsonObject().put("email", "already registered"))))
        : Future.failedFuture(err));
  }

  private Future<User> insertUser(SqlConnection tx, String email, String hash, String displayName, Role role) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    User user = new User(UUID.randomUUID(), email, hash, displayName, role, false, 1, now, now);
    return users.insert(tx, user, UserInput.normaliseEmail(email))
      .compose(v -> Outbox.append(tx, Topics.AUTH,
        EventEnvelope.create("user.created", SOURCE, user.id().toString(), user.toJson())))
      .map(user);
  }

  /** A new access token and a new refresh token in {@code family} (child of {@code parent}). */
  /**
   * Issues tokens from the user's row as it is now, locked (a disable or role change committing meanwhile waits, then
   * moves the cut-off past these tokens): a user disabled while their password was being checked gets none, and the
   * role in the token is the current one.
   */
  private Future<JsonObject> issue(SqlConnection tx, User user, UUID family, UUID parent) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    OffsetDateTime refreshExpiry = OffsetDateTime.now(ZoneOffset.UTC).plus(config.refreshTokenTtl());
    return users.byIdForUpdate(tx, user.id()).compose(found -> {
      if (found.isEmpty() || found.get().disabled()) {
        return Future.failedFuture(ServiceException.unauthenticated(BAD_LOGIN));
      }
      User current = found.get();
      return refreshTokens.insert(tx, UUID.randomUUID(), current.id(), family, parent, sha256(refresh), refreshExpiry)
        .compose(v -> cutoffMs(tx, current.id()))
        .map(cutoff -> new JsonObject()
          .put("accessToken", accessToken(current, cutoff))
          .put("refreshToken", refresh)
          .put("tokenType", "Bearer")
          .put("expiresIn", config.accessTokenTtl().toSeconds()));
    });
  }

  /** A user's token cut-off in epoch milliseconds, 0 when none. */
  Future<Long> cutoffMs(io.vertx.sqlclient.SqlClient db, UUID userId) {
    return db.preparedQuery("SELECT tokens_valid_after FROM users WHERE id = $1").execute(io.vertx.sqlclient.Tuple.of(userId))
      .map(rows -> rows.size() == 0 || rows.iterator().next().getOffsetDateTime(0) == null ? 0L
        : rows.iterator().next().getOffsetDateTime(0).toInstant().toEpochMilli());
  }

  String accessToken(User user) {
    return accessToken(user, 0);
  }

  /**
   * An access token issued now, or at the user's cut-off when that is later within the second (a token's {@code iat}
   * has whole seconds: one issued just after a logout must not fall before its cut-off).
   */
  String accessToken(User user, long cutoffMs) {
    Instant now = Instant.now();
    if (now.getEpochSecond() * 1000 < cutoffMs) {
      now = Instant.ofEpochSecond((cutoffMs + 999) / 1000);
    }
    return keys.sign(new JWTClaimsSet.Builder()
      .issuer(config.token().issuer())
      .audience(config.token().audience())
      .subject(user.id().toString())
      .claim("roles", List.of(user.role().name()))
      .issueTime(Date.from(now))
      .notBeforeTime(Date.from(now))
      .expirationTime(Date.from(now.plus(config.accessTokenTtl())))
      .jwtID(UUID.randomUUID().toString())
      .build());
  }

  /** Serialises admin-count decisions (last-admin guard, bootstrap) across transactions and instances. */
  private static Future<Void> lockAdmins(SqlConnection tx) {
    return tx.query("SELECT pg_advisory_xact_lock(7173)").execute().mapEmpty();
  }

  static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<UUID> parseUuid(String text) {
    try {
      return Optional.of(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static UUID uuid(String text, String what) {
    return parseUuid(text).orElseThrow(() -> ServiceException.unauthenticated("invalid " + what));
  }
}
