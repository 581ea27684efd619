package io.mediamesh.auth.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** SQL for refresh tokens (stored as SHA-256 hashes) and their families. */
public final class RefreshTokenRepository {

  /** A stored refresh token; {@code profileId} is the profile its family is scoped to, null for the account. */
  public record StoredToken(UUID id, UUID userId, UUID familyId, OffsetDateTime expiresAt, boolean used,
                            boolean revoked, UUID profileId) {
  }

  public Future<Void> insert(SqlClient db, UUID id, UUID userId, UUID familyId, UUID parentId, String hash,
                             OffsetDateTime expiresAt, UUID profileId) {
    return db.preparedQuery("INSERT INTO refresh_tokens (id, user_id, family_id, parent_id, token_hash, expires_at, "
        + "profile_id) VALUES ($1, $2, $3, $4, $5, $6, $7)")
      .execute(Tuple.of(id, userId, familyId, parentId, hash, expiresAt, profileId)).mapEmpty();
  }

  /** Revokes every family scoped to a profile (it was deleted); how many tokens that were. */
  public Future<Integer> revokeProfile(SqlClient db, UUID profileId, String reason, OffsetDateTime at) {
    return db.preparedQuery("UPDATE refresh_tokens SET revoked_at = $3, revoke_reason = $2 "
        + "WHERE profile_id = $1 AND revoked_at IS NULL").execute(Tuple.of(profileId, reason, at))
      .map(r -> r.rowCount());
  }

  /**
   * Finds a token and serialises everything that happens to its family: the family's advisory lock is taken
   * first, then the token is read (again) under a row lock. So a rotation and a reuse-revocation of one family
   * never interleave, and a revocation sees a token a concurrent rotation has just issued.
   */
  public Future<Optional<StoredToken>> lockFamilyOf(SqlClient db, String hash) {
    return db.preparedQuery("SELECT family_id FROM refresh_tokens WHERE token_hash = $1").execute(Tuple.of(hash))
      .compose(rows -> {
        if (rows.size() == 0) {
          return Future.succeededFuture(Optional.<StoredToken>empty());
        }
        UUID family = rows.iterator().next().getUUID(0);
        return db.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
          .execute(Tuple.of(family.toString())).compose(v -> byHashForUpdate(db, hash));
      });
  }

  private Future<Optional<StoredToken>> byHashForUpdate(SqlClient db, String hash) {
    return db.preparedQuery("SELECT id, user_id, family_id, expires_at, used_at, revoked_at, profile_id FROM refresh_tokens "
        + "WHERE token_hash = $1 FOR UPDATE").execute(Tuple.of(hash))
      .map(rows -> {
        if (rows.size() == 0) {
          return Optional.empty();
        }
        Row r = rows.iterator().next();
        return Optional.of(new StoredToken(r.getUUID("id"), r.getUUID("user_id"), r.getUUID("family_id"),
          r.getOffsetDateTime("expires_at"), r.getValue("used_at") != null, r.getValue("revoked_at") != null,
          r.getUUID("profile_id")));
      });
  }

  public Future<Void> markUsed(SqlClient db, UUID id, OffsetDateTime at) {
    return db.preparedQuery("UPDATE refresh_tokens SET used_at = $2 WHERE id = $1").execute(Tuple.of(id, at))
      .mapEmpty();
  }

  /** Revokes the tokens of a family not revoked yet; how many that were. */
  public Future<Integer> revokeFamily(SqlClient db, UUID familyId, String reason, OffsetDateTime at) {
    return db.preparedQuery("UPDATE refresh_tokens SET revoked_at = $3, revoke_reason = $2 "
        + "WHERE family_id = $1 AND revoked_at IS NULL").execute(Tuple.of(familyId, reason, at))
      .map(r -> r.rowCount());
  }

  public Future<Integer> revokeAllOfUser(SqlClient db, UUID userId, String reason, OffsetDateTime at) {
    return db.preparedQuery("UPDATE refresh_tokens SET revoked_at = $3, revoke_reason = $2 "
        + "WHERE user_id = $1 AND revoked_at IS NULL").execute(Tuple.of(userId, reason, at)).map(r -> r.rowCount());
  }
}
