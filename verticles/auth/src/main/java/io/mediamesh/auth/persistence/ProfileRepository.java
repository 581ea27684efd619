package io.mediamesh.auth.persistence;

import io.mediamesh.auth.domain.Profile;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for profiles; every read is of one account's profiles (a profile of another account is not found). */
public final class ProfileRepository {

  private static final String COLUMNS = "id, user_id, name, avatar, kids, max_age_rating, pin_hash, pin_failures, "
    + "pin_locked_until, version, created_at, updated_at";

  public Future<List<Profile>> ofUser(SqlClient db, UUID userId) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM profiles WHERE user_id = $1 ORDER BY created_at, id")
      .execute(Tuple.of(userId)).map(rows -> {
        List<Profile> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(map(r)));
        return out;
      });
  }

  public Future<Optional<Profile>> byId(SqlClient db, UUID userId, UUID id, boolean forUpdate) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM profiles WHERE id = $1 AND user_id = $2"
        + (forUpdate ? " FOR UPDATE" : "")).execute(Tuple.of(id, userId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  public Future<Void> insert(SqlClient db, Profile p) {
    return db.preparedQuery("INSERT INTO profiles (id, user_id, name, avatar, kids, max_age_rating, pin_hash, "
        + "version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
      .execute(Tuple.wrap(Arrays.asList(p.id(), p.userId(), p.name(), p.avatar(), p.kids(), p.maxAgeRating(),
        p.pinHash(), p.version(), p.createdAt(), p.updatedAt())))
      .mapEmpty();
  }

  /** Writes the editable fields and the PIN (a new PIN, or none, also clears its failures and lock). */
  public Future<Profile> update(SqlClient db, Profile p, boolean pinChanged) {
    return db.preparedQuery("UPDATE profiles SET name = $3, avatar = $4, kids = $5, max_age_rating = $6, "
        + "pin_hash = $7, pin_failures = CASE WHEN $8 THEN 0 ELSE pin_failures END, "
        + "pin_locked_until = CASE WHEN $8 THEN NULL ELSE pin_locked_until END, version = version + 1, "
        + "updated_at = $9 WHERE id = $1 AND user_id = $2 RETURNING " + COLUMNS)
      .execute(Tuple.wrap(Arrays.asList(p.id(), p.userId(), p.name(), p.avatar(), p.kids(), p.maxAgeRating(),
        p.pinHash(), pinChanged, p.updatedAt())))
      .map(rows -> map(rows.iterator().next()));
  }

  public Future<Boolean> delete(SqlClient db, UUID userId, UUID id) {
    return db.preparedQuery("DELETE FROM profiles WHERE id = $1 AND user_id = $2").execute(Tuple.of(id, userId))
      .map(r -> r.rowCount() > 0);
  }

  /** A PIN guess counted: the failures in a row now, and the lock it set (null when none). */
  public record Guess(int failures, OffsetDateTime lockedUntil) {
  }

  /**
   * Counts a PIN guess before it is checked (so concurrent guesses cannot pass the bound): one more failure, and the
   * {@code attempts}-th in a row locks the profile until {@code lockUntil} (the count starts again). Empty when the
   * profile is locked at {@code now} (the guess is not made) or is not the account's.
   */
  public Future<Optional<Guess>> countGuess(SqlClient db, UUID userId, UUID id, int attempts, OffsetDateTime now,
                                           OffsetDateTime lockUntil) {
    return db.preparedQuery("UPDATE profiles SET "
        + "pin_failures = CASE WHEN pin_failures + 1 >= $3 THEN 0 ELSE pin_failures + 1 END, "
        + "pin_locked_until = CASE WHEN pin_failures + 1 >= $3 THEN $5 ELSE pin_locked_until END "
        + "WHERE id = $1 AND user_id = $2 AND (pin_locked_until IS NULL OR pin_locked_until <= $4) "
        + "RETURNING pin_failures, pin_locked_until")
      .execute(Tuple.of(id, userId, attempts, now, lockUntil))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new Guess(
        rows.iterator().next().getInteger("pin_failures"), rows.iterator().next().getOffsetDateTime("pin_locked_until"))));
  }

  /** The right PIN: the count of failures (and a lock the same burst of guesses set) starts again. */
  public Future<Void> pinSucceeded(SqlClient db, UUID id) {
    return db.preparedQuery("UPDATE profiles SET pin_failures = 0, pin_locked_until = NULL WHERE id = $1 "
      + "AND (pin_failures > 0 OR pin_locked_until IS NOT NULL)").execute(Tuple.of(id)).mapEmpty();
  }

  private static Profile map(Row r) {
    return new Profile(r.getUUID("id"), r.getUUID("user_id"), r.getString("name"), r.getString("avatar"),
      r.getBoolean("kids"), r.getInteger("max_age_rating"), r.getString("pin_hash"), r.getInteger("pin_failures"),
      r.getOffsetDateTime("pin_locked_until"), r.getInteger("version"), r.getOffsetDateTime("created_at"),
      r.getOffsetDateTime("updated_at"));
  }
}
