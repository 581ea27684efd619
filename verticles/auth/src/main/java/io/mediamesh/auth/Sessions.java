package io.mediamesh.auth;

import io.mediamesh.auth.crypto.PasswordHasher;
import io.mediamesh.auth.crypto.PasswordWork;
import io.mediamesh.common.db.Times;
import io.mediamesh.auth.domain.Profile;
import io.mediamesh.auth.domain.User;
import io.mediamesh.auth.persistence.ProfileRepository;
import io.mediamesh.auth.persistence.RefreshTokenRepository;
import io.mediamesh.auth.persistence.UserRepository;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.api.Limits;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Sessions: login with a password, then access tokens renewed with rotating refresh tokens (stored as SHA-256
 * hashes, one family per login), and logout. Presenting a refresh token already spent or revoked revokes its whole
 * family and cuts off the user's access tokens: that is theft or a bug.
 */
final class Sessions {

  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
  private static final String BAD_LOGIN = "invalid e-mail or password";
  private static final String REUSED = "refresh token already used; this session has been revoked";

  private final Pool pool;
  private final PasswordHasher hasher;
  private final PasswordWork passwords;
  private final AccessTokens tokens;
  private final Cutoffs cutoffs;
  private final Duration refreshTtl;
  private final Clock clock;
  private final UserRepository users = new UserRepository();
  private final RefreshTokenRepository refreshTokens = new RefreshTokenRepository();
  private final ProfileRepository profiles = new ProfileRepository();
  private final SecureRandom random = new SecureRandom();

  Sessions(Pool pool, PasswordHasher hasher, PasswordWork passwords, AccessTokens tokens, Cutoffs cutoffs,
           Duration refreshTtl, Clock clock) {
    this.pool = pool;
    this.hasher = hasher;
    this.passwords = passwords;
    this.tokens = tokens;
    this.cutoffs = cutoffs;
    this.refreshTtl = refreshTtl;
    this.clock = clock;
  }

  /** Tokens of a new family; the answer never says whether the address or the password was wrong. */
  Future<JsonObject> login(AuthApi.Login q) {
    String email = q.email();
    String password = q.password();
    if (password.length() > Limits.PASSWORD_MAX || email.length() > Limits.EMAIL_MAX) {
      // no hash of an oversized input: it cannot be a valid credential
      return Future.failedFuture(ServiceException.unauthenticated(BAD_LOGIN));
    }
    return users.byEmail(pool, AuthApi.normaliseEmail(email))
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
        return pool.withTransaction(tx -> issue(tx, user, UUID.randomUUID(), null, null));
      }));
  }

  /** Rotates a refresh token; presenting one already spent or revoked revokes its whole family. */
  Future<JsonObject> refresh(AuthApi.RefreshToken q) {
    return pool.withTransaction(tx -> refreshTokens.lockFamilyOf(tx, sha256(q.refreshToken())).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Refresh.refused("invalid refresh token"));
      }
      RefreshTokenRepository.StoredToken token = found.get();
      if (token.used() || token.revoked()) {
        return refreshTokens.revokeFamily(tx, token.familyId(), "reuse", Times.now(clock))
          .compose(n -> {
            if (n == 0) {
              return Future.succeededFuture(Refresh.refused(REUSED));
            }
            // a stolen token was replayed: the access tokens of the user's sessions go too
            LOG.warn("refresh token reuse for user {}: family {} revoked", token.userId(), token.familyId());
            return cutoffs.cutOff(tx, token.userId()).map(cut -> new Refresh(null, REUSED, cut));
          });
      }
      if (token.expiresAt().toInstant().isBefore(clock.instant())) {
        return Future.succeededFuture(Refresh.refused("refresh token expired"));
      }
      return users.byId(tx, token.userId()).compose(user -> {
        if (user.isEmpty() || user.get().disabled()) {
          return refreshTokens.revokeFamily(tx, token.familyId(), "user disabled", Times.now(clock))
            .map(n -> Refresh.refused("invalid refresh token"));
        }
        return refreshTokens.markUsed(tx, token.id(), Times.now(clock))
          .compose(v -> issue(tx, user.get(), token.familyId(), token.id(), token.profileId()))
          .map(Refresh::ok)
          .recover(err -> err instanceof ProfileGone
            // the profile was deleted: its session ends (it never becomes the account's)
            ? refreshTokens.revokeFamily(tx, token.familyId(), "profile deleted", Times.now(clock))
              .map(n -> Refresh.refused("invalid refresh token"))
            : Future.failedFuture(err));
      });
    })).compose(result -> {
      cutoffs.announce(result.cut());
      return result.tokens() != null ? Future.succeededFuture(result.tokens())
        : Future.failedFuture(ServiceException.unauthenticated(result.refusal()));
    });
  }

  /** The outcome of a refresh; a refusal still commits (a reuse must revoke the family and cut off its tokens). */
  private record Refresh(JsonObject tokens, String refusal, AuthApi.Revocation cut) {
    static Refresh ok(JsonObject tokens) {
      return new Refresh(tokens, null, null);
    }

    static Refresh refused(String why) {
      return new Refresh(null, why, null);
    }
  }

  /** Revokes the family of the caller's refresh token; idempotent, and silent about tokens of others. */
  Future<JsonObject> logout(Caller caller, AuthApi.RefreshToken q) {
    return pool.withTransaction(tx -> refreshTokens.lockFamilyOf(tx, sha256(q.refreshToken())).compose(found -> {
      if (found.isPresent() && found.get().userId().toString().equals(caller.userId())) {
        return refreshTokens.revokeFamily(tx, found.get().familyId(), "logout", Times.now(clock))
          .compose(n -> cutoffs.cutOff(tx, found.get().userId()));
      }
      return Future.<AuthApi.Revocation>succeededFuture();
    })).map(cut -> {
      cutoffs.announce(cut);
      return new JsonObject();
    });
  }

  /** The profile a refresh token's family is scoped to is gone. */
  private static final class ProfileGone extends RuntimeException {
    ProfileGone() {
      super("profile deleted", null, false, false);
    }
  }

  /**
   * A new access token and a new refresh token in {@code family} (child of {@code parent}), issued from the user's
   * row as it is now, locked (a disable, role change or profile change committing meanwhile waits, then moves the
   * cut-off past these tokens): a user disabled while their password was being checked gets none, the role in the
   * token is the current one, and so is the limit of the profile ({@code profileId}, null for the account) it is
   * scoped to.
   */
  Future<JsonObject> issue(SqlConnection tx, User user, UUID family, UUID parent, UUID profileId) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    OffsetDateTime refreshExpiry = Times.now(clock).plus(refreshTtl);
    return users.byIdForUpdate(tx, user.id()).compose(found -> {
      if (found.isEmpty() || found.get().disabled()) {
        return Future.failedFuture(ServiceException.unauthenticated(BAD_LOGIN));
      }
      User current = found.get();
      Future<Profile> scope = profileId == null ? Future.succeededFuture()
        : profiles.byId(tx, current.id(), profileId, false).compose(p -> p.isPresent()
        ? Future.succeededFuture(p.get()) : Future.failedFuture(new ProfileGone()));
      return scope.compose(profile -> refreshTokens.insert(tx, UUID.randomUUID(), current.id(), family, parent,
          sha256(refresh), refreshExpiry, profileId)
        .compose(v -> cutoffs.cutoffMs(tx, current.id()))
        .map(cutoff -> {
          JsonObject answer = new JsonObject()
            .put("accessToken", tokens.issue(current, cutoff, profile))
            .put("refreshToken", refresh)
            .put("tokenType", "Bearer")
            .put("expiresIn", tokens.expiresInSeconds());
          return profile == null ? answer : answer.put("profile", profile.toJson());
        }));
    });
  }

  static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
