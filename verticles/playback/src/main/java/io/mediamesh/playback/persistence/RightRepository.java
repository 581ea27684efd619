package io.mediamesh.playback.persistence;

import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.PlaybackApi.GrantType;
import io.mediamesh.playback.domain.Right;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for orders and rights (subscriptions, purchases, rentals). Revoked rights stay as history. */
public final class RightRepository {

  private static final String SELECT = "SELECT r.id, r.kind, r.plan_id, p.name AS plan_name, p.packages, "
    + "p.max_streams, p.evict_oldest, r.content_type, r.content_id, r.created_at, r.start_by, r.first_played_at, "
    + "r.ends_at, r.rental_hours, r.granted_by, r.order_id FROM rights r LEFT JOIN plans p ON p.id = r.plan_id ";

  /** A new right: what it is and where it came from (an order or an admin's grant). */
  public record NewRight(UUID id, String account, GrantType kind, UUID planId, ContentType contentType,
                         UUID contentId, UUID orderId, String grantedBy, Instant createdAt, Instant startBy,
                         Instant endsAt, Integer rentalHours) {
  }

  public Future<Void> insertOrder(SqlClient db, UUID id, String account, GrantType kind, JsonObject subject,
                                  int amount, String currency, String provider, String reference, String status,
                                  Instant now) {
    return db.preparedQuery("INSERT INTO orders (id, account_id, kind, subject, amount, currency, provider, "
        + "provider_ref, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
      .execute(Tuple.tuple(Arrays.asList(id, account, kind.name(), subject, amount, currency, provider, reference,
        status, utc(now))))
      .mapEmpty();
  }

  /** Settles a PENDING order with the provider's answer (or the refund of a charge that bought nothing). */
  public Future<Void> settleOrder(SqlClient db, UUID id, String reference, String status) {
    return db.preparedQuery("UPDATE orders SET provider_ref = $2, status = $3 WHERE id = $1")
      .execute(Tuple.of(id, reference, status)).mapEmpty();
  }

  public Future<Void> insert(SqlClient db, NewRight r) {
    return db.preparedQuery("INSERT INTO rights (id, account_id, kind, plan_id, content_type, content_id, order_id, "
        + "granted_by, created_at, start_by, ends_at, rental_hours) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        + "$11, $12)")
      .execute(Tuple.tuple(Arrays.asList(r.id(), r.account(), r.kind().name(), r.planId(),
        r.contentType() == null ? null : r.contentType().name(), r.contentId(), r.orderId(), r.grantedBy(),
        utc(r.createdAt()), utc(r.startBy()), utc(r.endsAt()), r.rentalHours())))
      .mapEmpty();
  }

  /** The account's rights that are not revoked, oldest first (expired ones included: they explain refusals). */
  public Future<List<Right>> standing(SqlClient db, String account) {
    return db.preparedQuery(SELECT + "WHERE r.account_id = $1 AND r.revoked_at IS NULL ORDER BY r.created_at, r.id")
      .execute(Tuple.of(account))
      .map(rows -> {
        List<Right> out = new ArrayList<>();
        rows.forEach(row -> out.add(right(row)));
        return out;
      });
  }

  public Future<Optional<Right>> byId(SqlClient db, String account, UUID id) {
    return db.preparedQuery(SELECT + "WHERE r.account_id = $1 AND r.id = $2 AND r.revoked_at IS NULL")
      .execute(Tuple.of(account, id))
      .map(rows -> {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(right(it.next())) : Optional.empty();
      });
  }

  /** Starts a rental's clock; false when it had started already (another play won the race). */
  public Future<Boolean> startRental(SqlClient db, UUID id, Instant now, Instant endsAt) {
    return db.preparedQuery("UPDATE rights SET first_played_at = $2, ends_at = $3 WHERE id = $1 AND kind = 'RENTAL' "
        + "AND first_played_at IS NULL")
      .execute(Tuple.of(id, utc(now), utc(endsAt)))
      .map(rows -> rows.rowCount() == 1);
  }

  /** A rental whose expiry was just marked: what {@code rental.expired} says of it. */
  public record Expired(UUID id, String account, String contentType, UUID contentId, boolean started,
                        Instant expiredAt) {
  }

  /**
   * Marks up to {@code limit} rentals that have expired by {@code now} (48 h after their first play, or never started
   * by their start limit) and are not marked yet; rows another sweeper holds are skipped, so each is marked once.
   */
  public Future<List<Expired>> markExpiredRentals(SqlClient db, Instant now, int limit) {
    return db.preparedQuery("UPDATE rights r SET expired_at = $1 FROM (SELECT id FROM rights WHERE kind = 'RENTAL' "
        + "AND expired_at IS NULL AND revoked_at IS NULL AND coalesce(ends_at, start_by) <= $1 "
        + "ORDER BY coalesce(ends_at, start_by) LIMIT $2 FOR UPDATE SKIP LOCKED) due WHERE r.id = due.id "
        + "RETURNING r.id, r.account_id, r.content_type, r.content_id, r.first_played_at, "
        + "coalesce(r.ends_at, r.start_by) AS expired")
      .execute(Tuple.of(utc(now), limit))
      .map(rows -> {
        List<Expired> out = new java.util.ArrayList<>(rows.size());
        rows.forEach(r -> out.add(new Expired(r.getUUID("id"), r.getString("account_id"), r.getString("content_type"),
          r.getUUID("content_id"), r.getValue("first_played_at") != null, instant(r, "expired"))));
        return out;
      });
  }

  /** Ends every subscription of the account still running at {@code now} (a new one replaces them). */
  public Future<Integer> endSubscriptions(SqlClient db, String account, Instant now) {
    return db.preparedQuery("UPDATE rights SET ends_at = $2 WHERE account_id = $1 AND kind = 'SUBSCRIPTION' "
        + "AND revoked_at IS NULL AND ends_at > $2")
      .execute(Tuple.of(account, utc(now)))
      .map(rows -> rows.rowCount());
  }

  public Future<Boolean> revoke(SqlClient db, String account, UUID id, Instant now) {
    return db.preparedQuery("UPDATE rights SET revoked_at = $3 WHERE account_id = $1 AND id = $2 "
        + "AND revoked_at IS NULL")
      .execute(Tuple.of(account, id, utc(now)))
      .map(rows -> rows.rowCount() == 1);
  }

  private static Right right(Row r) {
    GrantType kind = GrantType.valueOf(r.getString("kind"));
    String type = r.getString("content_type");
    String[] packages = r.getArrayOfStrings("packages");
    Integer hours = r.getInteger("rental_hours");
    return new Right(r.getUUID("id"), kind, r.getUUID("plan_id"), r.getString("plan_name"),
      packages == null ? List.of() : List.of(packages),
      r.getInteger("max_streams") == null ? 0 : r.getInteger("max_streams"),
      Boolean.TRUE.equals(r.getBoolean("evict_oldest")), type == null ? null : ContentType.valueOf(type),
      r.getUUID("content_id"), instant(r, "created_at"), instant(r, "start_by"), instant(r, "first_played_at"),
      instant(r, "ends_at"), hours == null ? null : Duration.ofHours(hours), r.getString("granted_by"),
      r.getUUID("order_id"));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime utc(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
