package io.mediamesh.auth;

import io.mediamesh.auth.crypto.PasswordHasher;
import io.mediamesh.auth.crypto.PasswordWork;
import io.mediamesh.common.db.Times;
import io.mediamesh.auth.domain.User;
import io.mediamesh.auth.persistence.RefreshTokenRepository;
import io.mediamesh.auth.persistence.UserRepository;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * User accounts: registration, an admin's creation, listing and changes of users, and a user's own view. Passwords
 * are hashed on the bounded password workers; every change is written with its {@code user.*} event in one
 * transaction. A change that takes rights away (disable, role change) cuts off the user's access tokens.
 */
final class Accounts {

  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;
  private final PasswordHasher hasher;
  private final PasswordWork passwords;
  private final Cutoffs cutoffs;
  private final Clock clock;
  private final UserRepository users = new UserRepository();
  private final RefreshTokenRepository refreshTokens = new RefreshTokenRepository();

  Accounts(Pool pool, PasswordHasher hasher, PasswordWork passwords, Cutoffs cutoffs, Clock clock) {
    this.pool = pool;
    this.hasher = hasher;
    this.passwords = passwords;
    this.cutoffs = cutoffs;
    this.clock = clock;
  }

  Future<JsonObject> register(AuthApi.Registration q) {
    return create(q.email(), q.password(), q.displayName(), Role.USER);
  }

  Future<JsonObject> create(AuthApi.UserCreate q) {
    return create(q.email(), q.password(), q.displayName(), q.role());
  }

  /** A user by id (admins). */
  Future<JsonObject> get(UUID id) {
    return users.byId(pool, id).map(u -> u.orElseThrow(() -> ServiceException.notFound("user " + id)).toJson());
  }

  /** The caller's own account. */
  Future<JsonObject> me(Caller caller) {
    return users.byId(pool, subject(caller))
      .map(u -> u.orElseThrow(() -> ServiceException.notFound("user")).toJson());
  }

  Future<JsonObject> list(AuthApi.UserList q) {
    int page = q.page().page();
    int size = q.page().size();
    return users.list(pool, q.role(), page, size).map(p -> new JsonObject()
      .put("items", new JsonArray(p.items().stream().map(User::toJson).toList()))
      .put("page", page).put("size", size).put("total", p.total()));
  }

  /** Changes role, disabled flag or display name; keeps at least one active admin; disabling ends sessions. */
  Future<JsonObject> update(Caller admin, AuthApi.UserUpdate q) {
    UUID id = q.id();
    return pool.withTransaction(tx -> users.byIdForUpdate(tx, id).compose(found -> {
      User before = found.orElseThrow(() -> ServiceException.notFound("user"));
      Role newRole = q.role() == null ? before.role() : q.role();
      boolean newDisabled = q.disabled() == null ? before.disabled() : q.disabled();
      String newName = q.displayName() == null ? before.displayName() : q.displayName();
      boolean losesAdmin = before.role() == Role.ADMIN && !before.disabled()
        && (newRole != Role.ADMIN || newDisabled);
      Future<Void> guard = !losesAdmin ? Future.succeededFuture()
        : users.lockAdmins(tx).compose(v -> users.countActiveAdmins(tx)).compose(n -> n <= 1
        ? Future.failedFuture(ServiceException.conflict("the last active admin cannot be demoted or disabled"))
        : Future.succeededFuture());
      OffsetDateTime now = Times.now(clock);
      return guard.compose(v -> users.update(tx, id, newName, newRole, newDisabled, now)).compose(after -> {
        Future<Void> steps = Future.succeededFuture();
        if (newRole != before.role()) {
          steps = steps.compose(v -> users.recordRoleChange(tx, id, before.role(), newRole, admin.userId()))
            .compose(v -> UserEvents.roleChanged(tx, after, before.role()));
        }
        if (newDisabled != before.disabled() || !newName.equals(before.displayName())) {
          steps = steps.compose(v -> UserEvents.updated(tx, after));
        }
        if (newDisabled && !before.disabled()) {
          steps = steps.compose(v -> refreshTokens.revokeAllOfUser(tx, id, "disabled", now).mapEmpty());
        }
        boolean cut = newDisabled && !before.disabled() || newRole != before.role();
        // tokens carry the role: a disabled or re-roled user's tokens stop everywhere, not when they expire
        return steps.compose(v -> cut ? cutoffs.cutOff(tx, id) : Future.<AuthApi.Revocation>succeededFuture())
          .map(revoked -> new Updated(after.toJson(), revoked));
      });
    })).map(done -> {
      cutoffs.announce(done.cut());
      return done.user();
    });
  }

  /** An update committed, with the cut-off to announce (null when the user kept their rights). */
  private record Updated(JsonObject user, AuthApi.Revocation cut) {
  }

  private Future<JsonObject> create(String email, String password, String displayName, Role role) {
    return passwords.submit(() -> hasher.hash(password))
      .compose(hash -> pool.withTransaction(tx -> insert(tx, email, hash, displayName, role)))
      .map(User::toJson)
      .recover(err -> err instanceof PgException pe && UNIQUE_VIOLATION.equals(pe.getSqlState())
        ? Future.failedFuture(new ServiceException(ErrorCode.CONFLICT, "email: already registered",
        new JsonObject().put("fields", new JsonObject().put("email", "already registered"))))
        : Future.failedFuture(err));
  }

  /** Inserts a user with an already hashed password, with user.created. */
  Future<User> insert(SqlConnection tx, String email, String hash, String displayName, Role role) {
    OffsetDateTime now = Times.now(clock);
    User user = new User(UUID.randomUUID(), email, hash, displayName, role, false, 1, now, now);
    return users.insert(tx, user, AuthApi.normaliseEmail(email))
      .compose(v -> UserEvents.created(tx, user))
      .map(user);
  }

  /** The caller's user id; a 401 when the token's subject is not one. */
  static UUID subject(Caller caller) {
    try {
      return UUID.fromString(caller.userId());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ServiceException.unauthenticated("invalid subject");
    }
  }
}
