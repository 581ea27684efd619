package io.mediamesh.auth;

import io.mediamesh.auth.crypto.PasswordHasher;
import io.mediamesh.auth.crypto.PasswordWork;
import io.mediamesh.auth.domain.Profile;
import io.mediamesh.auth.persistence.ProfileRepository;
import io.mediamesh.auth.persistence.RefreshTokenRepository;
import io.mediamesh.auth.persistence.UserRepository;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.api.Limits;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.db.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Profiles of an account ({@link AuthApi#PROFILES_LIST} and the rest): who is watching, with a kids flag, an age
 * limit and an optional PIN (hashed on the bounded password workers, like passwords). Selecting a profile issues a
 * token pair scoped to it ({@link Sessions#issue}). Wrong PINs are counted in the profile's row, so the lock holds
 * across instances and restarts. Every change locks the account's user row first, which also orders it against
 * token issuing: a token is issued either before a limit change (and the change's cut-off refuses it) or after it
 * (and carries the new limit).
 */
final class Profiles {

  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;
  private final PasswordHasher hasher;
  private final PasswordWork passwords;
  private final Sessions sessions;
  private final Cutoffs cutoffs;
  private final Clock clock;
  private final int pinAttempts;
  private final Duration pinLock;
  private final ProfileRepository profiles = new ProfileRepository();
  private final UserRepository users = new UserRepository();
  private final RefreshTokenRepository refreshTokens = new RefreshTokenRepository();

  Profiles(Pool pool, PasswordHasher hasher, PasswordWork passwords, Sessions sessions, Cutoffs cutoffs, Clock clock,
           int pinAttempts, Duration pinLock) {
    this.pool = pool;
    this.hasher = hasher;
    this.passwords = passwords;
    this.sessions = sessions;
    this.cutoffs = cutoffs;
    this.clock = clock;
    this.pinAttempts = pinAttempts;
    this.pinLock = pinLock;
  }

  Future<JsonObject> list(Caller caller) {
    return profiles.ofUser(pool, account(caller)).map(all -> new JsonObject()
      .put("items", new JsonArray(all.stream().map(Profile::toJson).toList())));
  }

  Future<JsonObject> create(Caller caller, AuthApi.ProfileCreate q) {
    UUID account = manager(caller);
    return pinHash(q.pin()).compose(hash -> pool.withTransaction(tx -> lockAccount(tx, account)
      .compose(v -> profiles.ofUser(tx, account))
      .compose(existing -> {
        if (existing.size() >= Limits.PROFILES_MAX) {
          return Future.failedFuture(ServiceException.conflict("an account has at most " + Limits.PROFILES_MAX
            + " profiles"));
        }
        OffsetDateTime now = Times.now(clock);
        Profile p = new Profile(UUID.randomUUID(), account, q.name(), q.avatar(), q.kids(), q.maxAgeRating(), hash,
          0, null, 1, now, now);
        return profiles.insert(tx, p).map(p);
      }))).map(Profile::toJson).recover(Profiles::nameTaken);
  }

  Future<JsonObject> update(Caller caller, AuthApi.ProfileUpdate q) {
    UUID account = manager(caller);
    return mayChange(caller, account, q.id(), q.currentPin())
      .compose(allowed -> pinHash(q.pin()))
      .compose(hash -> pool.withTransaction(tx -> lockAccount(tx, account)
      .compose(v -> profiles.byId(tx, account, q.id(), true))
      .compose(found -> {
        Profile before = found.orElseThrow(() -> ServiceException.notFound("profile"));
        boolean kids = q.kids() == null ? before.kids() : q.kids();
        int max = q.maxAgeRating() == null ? before.maxAgeRating() : q.maxAgeRating();
        String tooOld = AuthApi.kidsLimitProblem(kids, max);
        if (tooOld != null) {
          throw ServiceException.validation("maxAgeRating", tooOld);
        }
        boolean pinChanged = hash != null || q.removePin();
        Profile changed = new Profile(before.id(), account, q.name() == null ? before.name() : q.name(),
          q.avatar() == null ? before.avatar() : q.avatar(), kids, max,
          hash != null ? hash : q.removePin() ? null : before.pinHash(), before.pinFailures(),
          before.pinLockedUntil(), before.version(), before.createdAt(), Times.now(clock));
        boolean limitChanged = kids != before.kids() || max != before.maxAgeRating();
        return profiles.update(tx, changed, pinChanged).compose(after -> limitChanged
          // tokens carry the limit: none keeps one the profile no longer has
          ? cutoffs.cutOff(tx, account).map(cut -> new Changed(after, cut))
          : Future.succeededFuture(new Changed(after, null)));
      }))).map(this::announced).recover(Profiles::nameTaken);
  }

  Future<JsonObject> delete(Caller caller, AuthApi.ProfileDelete q) {
    UUID account = manager(caller);
    UUID id = q.id();
    return mayChange(caller, account, id, q.currentPin())
      .compose(allowed -> pool.withTransaction(tx -> lockAccount(tx, account)
      .compose(v -> profiles.delete(tx, account, id))
      .compose(deleted -> {
        if (!deleted) {
          return Future.failedFuture(ServiceException.notFound("profile"));
        }
        return refreshTokens.revokeProfile(tx, id, "profile deleted", Times.now(clock))
          .compose(n -> cutoffs.cutOff(tx, account))
          .map(cut -> new Changed(null, cut));
      }))).map(done -> {
        announced(done);
        return new JsonObject();
      });
  }

  /**
   * A token pair scoped to the profile. A PIN-protected profile needs its PIN ({@link #checkPin}).
   */
  Future<JsonObject> select(Caller caller, AuthApi.ProfileSelect q) {
    UUID account = account(caller);
    return profiles.byId(pool, account, q.id(), false).compose(found -> {
      Profile p = found.orElseThrow(() -> ServiceException.notFound("profile"));
      return checkPin(p, q.pin()).compose(v -> issue(account, p.id()));
    });
  }

  /**
   * Passes when the profile has no PIN or {@code pin} is its PIN. A missing PIN is a 403 (not counted); a guess is
   * counted in the profile's row before it is checked, so concurrent guesses cannot pass the bound: the
   * {@code pinAttempts}-th wrong one in a row locks the profile for {@code pinLock} (429 with
   * {@code retryAfterSeconds}, also for any try while it lasts, even with the right PIN), the right one starts the
   * count again.
   */
  private Future<Void> checkPin(Profile p, String pin) {
    OffsetDateTime now = Times.now(clock);
    if (p.pinLockedUntil() != null && p.pinLockedUntil().isAfter(now)) {
      return Future.failedFuture(locked(p.pinLockedUntil(), now));
    }
    if (!p.hasPin()) {
      return Future.succeededFuture();
    }
    if (pin == null) {
      return Future.failedFuture(new ServiceException(ErrorCode.FORBIDDEN, "this profile needs its PIN",
        new JsonObject().put("reason", "PIN_REQUIRED")));
    }
    return pool.withTransaction(tx -> profiles.countGuess(tx, p.userId(), p.id(), pinAttempts, now, now.plus(pinLock)))
      .compose(guess -> {
        if (guess.isEmpty()) {
          // locked meanwhile by other guesses (or the profile is gone)
          return profiles.byId(pool, p.userId(), p.id(), false).compose(again -> again.isEmpty()
            ? Future.failedFuture(ServiceException.notFound("profile"))
            : Future.failedFuture(locked(again.get().pinLockedUntil(), now)));
        }
        boolean wellFormed = pin.length() >= Limits.PIN_MIN && pin.length() <= Limits.PIN_MAX
          && pin.chars().allMatch(c -> c >= '0' && c <= '9');
        Future<Boolean> verified = wellFormed ? passwords.submit(() -> hasher.verify(pin, p.pinHash()))
          : Future.succeededFuture(false);
        return verified.compose(ok -> {
          if (ok) {
            return pool.withTransaction(tx -> profiles.pinSucceeded(tx, p.id()));
          }
          ProfileRepository.Guess g = guess.get();
          if (g.lockedUntil() != null && g.lockedUntil().isAfter(now)) {
            return Future.failedFuture(locked(g.lockedUntil(), now));
          }
          return Future.failedFuture(new ServiceException(ErrorCode.FORBIDDEN, "wrong PIN",
            new JsonObject().put("reason", "PIN_INVALID").put("attemptsLeft", pinAttempts - g.failures())));
        });
      });
  }

  /**
   * Passes when the caller may change or delete profile {@code id} of {@code account}: always with the account's own
   * token (a password login) or the profile's own, and for any profile without a PIN; otherwise only with its PIN
   * ({@code currentPin}, checked and counted as a selection's): a PIN-less profile selected by someone else cannot
   * take the lock off another. The profile is read only when that depends on it; its absence is the change's 404.
   */
  private Future<Void> mayChange(Caller caller, UUID account, UUID id, String currentPin) {
    if (caller.profileId() == null || caller.profileId().equals(id.toString())) {
      return Future.succeededFuture();
    }
    return profiles.byId(pool, account, id, false).compose(found -> found.isEmpty() || !found.get().hasPin()
      ? Future.succeededFuture() : checkPin(found.get(), currentPin));
  }

  private Future<JsonObject> issue(UUID account, UUID profileId) {
    return pool.withTransaction(tx -> users.byId(tx, account).compose(user -> user.isEmpty()
      ? Future.failedFuture(ServiceException.unauthenticated("invalid subject"))
      : sessions.issue(tx, user.get(), UUID.randomUUID(), null, profileId)));
  }

  private static ServiceException locked(OffsetDateTime until, OffsetDateTime now) {
    long seconds = Math.max(1, Duration.between(now, until).toSeconds());
    return new ServiceException(ErrorCode.RATE_LIMITED, "too many wrong PINs; this profile is locked for a while",
      new JsonObject().put("policy", "profile-pin").put("retryAfterSeconds", seconds));
  }

  /** A change committed, with the cut-off to announce (null when the profile's limit stayed). */
  private record Changed(Profile profile, AuthApi.Revocation cut) {
  }

  private JsonObject announced(Changed done) {
    cutoffs.announce(done.cut());
    return done.profile() == null ? new JsonObject() : done.profile().toJson();
  }

  private Future<Void> lockAccount(SqlConnection tx, UUID account) {
    return users.byIdForUpdate(tx, account).compose(user -> user.isEmpty()
      ? Future.failedFuture(ServiceException.unauthenticated("invalid subject")) : Future.succeededFuture());
  }

  private Future<String> pinHash(String pin) {
    return pin == null ? Future.succeededFuture() : passwords.submit(() -> hasher.hash(pin));
  }

  private static <T> Future<T> nameTaken(Throwable err) {
    return err instanceof PgException pe && UNIQUE_VIOLATION.equals(pe.getSqlState())
      ? Future.failedFuture(new ServiceException(ErrorCode.CONFLICT, "name: another profile of this account has it",
      new JsonObject().put("fields", new JsonObject().put("name", "another profile of this account has it"))))
      : Future.failedFuture(err);
  }

  /**
   * The account of a caller that may create, change or delete profiles: not one scoped to a profile with an age
   * limit (a child could otherwise raise its own limit or take the PIN off a parent's profile).
   */
  private static UUID manager(Caller caller) {
    if (caller.ageLimit() != null) {
      throw ServiceException.forbidden("a profile with an age limit cannot manage profiles; sign in again or "
        + "select a profile without one");
    }
    return account(caller);
  }

  private static UUID account(Caller caller) {
    return Accounts.subject(caller);
  }
}
