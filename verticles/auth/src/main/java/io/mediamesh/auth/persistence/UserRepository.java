package io.mediamesh.auth.persistence;

import io.mediamesh.auth.domain.User;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for users. Methods take the client to run on, so callers choose the transaction. */
public final class UserRepository {

  private static final String COLUMNS =
    "id, email, password_hash, display_name, role, disabled, version, created_at, updated_at";

  public record Page(List<User> items, long total) {
  }

  public Future<Void> insert(SqlClient db, User user, String emailNormalized) {
    return db.preparedQuery("INSERT INTO users (id, email, email_normalized, password_hash, display_name, role, "
        + "disabled, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
      .execute(Tuple.tuple(List.of(user.id(), user.email(), emailNormalized, user.passwordHash(), user.displayName(),
        user.role().name(), user.disabled(), user.version(), user.createdAt(), user.updatedAt())))
      .mapEmpty();
  }

  public Future<Optional<User>> byEmail(SqlClient db, String emailNormalized) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE email_normalized = $1")
      .execute(Tuple.of(emailNormalized)).map(UserRepository::first);
  }

  public Future<Optional<User>> byId(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1").execute(Tuple.of(id))
      .map(UserRepository::first);
  }

  public Future<Optional<User>> byIdForUpdate(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
      .map(UserRepository::first);
  }

  public Future<Page> list(SqlClient db, Role role, int page, int size) {
    String where = role == null ? "" : " WHERE role = $3";
    Tuple args = role == null ? Tuple.of(size, (long) page * size) : Tuple.of(size, (long) page * size, role.name());
    return db.preparedQuery("SELECT " + COLUMNS + ", count(*) OVER () AS total FROM users" + where
        + " ORDER BY created_at, id LIMIT $1 OFFSET $2").execute(args)
      .compose(rows -> {
        List<User> items = new ArrayList<>();
        long total = -1;
        for (Row row : rows) {
          items.add(map(row));
          total = row.getLong("total");
        }
        if (total >= 0) {
          return Future.succeededFuture(new Page(items, total));
        }
        // past the last page: still report the total
        return db.preparedQuery("SELECT count(*) FROM users" + (role == null ? "" : " WHERE role = $1"))
          .execute(role == null ? Tuple.tuple() : Tuple.of(role.name()))
          .map(r -> new Page(items, r.iterator().next().getLong(0)));
      });
  }

  public Future<User> update(SqlClient db, UUID id, String displayName, Role role, boolean disabled,
                             OffsetDateTime updatedAt) {
    return db.preparedQuery("UPDATE users SET display_name = $2, role = $3, disabled = $4, version = version + 1, "
        + "updated_at = $5 WHERE id = $1 RETURNING " + COLUMNS)
      .execute(Tuple.of(id, displayName, role.name(), disabled, updatedAt))
      .map(rows -> map(rows.iterator().next()));
  }

  /** Serialises admin-count decisions (last-admin guard, bootstrap) across transactions and instances. */
  public Future<Void> lockAdmins(SqlClient db) {
    return db.query("SELECT pg_advisory_xact_lock(7173)").execute().mapEmpty();
  }

  public Future<Boolean> anyAdmin(SqlClient db) {
    return db.query("SELECT 1 FROM users WHERE role = 'ADMIN' LIMIT 1").execute().map(rows -> rows.size() > 0);
  }

  public Future<Long> countActiveAdmins(SqlClient db) {
    return db.query("SELECT count(*) FROM users WHERE role = 'ADMIN' AND NOT disabled").execute()
      .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Void> recordRoleChange(SqlClient db, UUID userId, Role from, Role to, String changedBy) {
    return db.preparedQuery("INSERT INTO role_changes (user_id, old_role, new_role, changed_by) VALUES ($1, $2, $3, $4)")
      .execute(Tuple.of(userId, from.name(), to.name(), changedBy == null ? null : UUID.fromString(changedBy)))
      .mapEmpty();
  }

  /**
   * Moves a user's token cut-off to {@code at}, or just past the previous cut-off's second when that is later (tokens
   * issued after an earlier cut-off may carry its next whole second); never back. The cut-off now, empty when there
   * is no such user.
   */
  public Future<Optional<OffsetDateTime>> moveCutoff(SqlClient db, UUID userId, OffsetDateTime at) {
    return db.preparedQuery("UPDATE users SET tokens_valid_after = CASE WHEN tokens_valid_after IS NULL THEN $2 "
        + "ELSE greatest($2, date_trunc('second', tokens_valid_after) + interval '1.001 seconds') END "
        + "WHERE id = $1 RETURNING tokens_valid_after")
      .execute(Tuple.of(userId, at))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getOffsetDateTime(0)));
  }

  /** A user's token cut-off, empty when none. */
  public Future<Optional<OffsetDateTime>> cutoff(SqlClient db, UUID userId) {
    return db.preparedQuery("SELECT tokens_valid_after FROM users WHERE id = $1").execute(Tuple.of(userId))
      .map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0)));
  }

  /** The cut-offs set after {@code since}. */
  public Future<List<AuthApi.Revocation>> cutoffsSince(SqlClient db, OffsetDateTime since) {
    return db.preparedQuery("SELECT id, tokens_valid_after FROM users WHERE tokens_valid_after > $1")
      .execute(Tuple.of(since))
      .map(rows -> {
        List<AuthApi.Revocation> cut = new ArrayList<>();
        rows.forEach(r -> cut.add(new AuthApi.Revocation(r.getUUID(0), r.getOffsetDateTime(1).toInstant()
          .toEpochMilli())));
        return cut;
      });
  }

  /** The service account of a service client, if it has been created. */
  public Future<Optional<User>> byServiceClient(SqlClient db, String client) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE service_client = $1").execute(Tuple.of(client))
      .map(UserRepository::first);
  }

  /** Inserts a service account; false when the client already has one (several instances starting at once). */
  public Future<Boolean> insertServiceAccount(SqlClient db, User user, String emailNormalized, String client) {
    return db.preparedQuery("INSERT INTO users (id, email, email_normalized, password_hash, display_name, role, "
        + "disabled, version, created_at, updated_at, service_client) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        + "$11) ON CONFLICT DO NOTHING")
      .execute(Tuple.tuple(List.of(user.id(), user.email(), emailNormalized, user.passwordHash(), user.displayName(),
        user.role().name(), user.disabled(), user.version(), user.createdAt(), user.updatedAt(), client)))
      .map(rows -> rows.rowCount() == 1);
  }

  private static Optional<User> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
  }

  private static User map(Row row) {
    return new User(row.getUUID("id"), row.getString("email"), row.getString("password_hash"),
      row.getString("display_name"), Role.valueOf(row.getString("role")), row.getBoolean("disabled"),
      row.getInteger("version"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }
}
