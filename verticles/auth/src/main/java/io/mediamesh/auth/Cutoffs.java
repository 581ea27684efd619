package io.mediamesh.auth;

import io.mediamesh.auth.persistence.UserRepository;
import io.mediamesh.common.api.AuthApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Per-user token cut-offs ({@link AuthApi.Revocation}): a user's access tokens issued before theirs are refused by
 * every verifier once it is announced. Moved by a disable, a role change, a logout and a refresh token's reuse;
 * listed for verifiers that start or missed an announcement ({@code revocations}).
 */
final class Cutoffs {

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final UserRepository users = new UserRepository();

  Cutoffs(Vertx vertx, Pool pool, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
  }

  /**
   * Moves a user's cut-off to now (or just past the previous one's second, whichever is later), in {@code tx}; to
   * be {@link #announce announced} once that has committed. Never moves it back.
   */
  Future<AuthApi.Revocation> cutOff(SqlConnection tx, UUID userId) {
    long now = clock.millis();
    return users.moveCutoff(tx, userId, OffsetDateTime.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC))
      .map(at -> new AuthApi.Revocation(userId, at.map(t -> t.toInstant().toEpochMilli()).orElse(now)));
  }

  /** Publishes a committed cut-off to every verifier of the cluster; nothing when there is none. */
  void announce(AuthApi.Revocation cut) {
    if (cut != null) {
      vertx.eventBus().publish(AuthApi.REVOKED, cut.toJson());
    }
  }

  /** The cut-offs set since {@code sinceMs}: what a verifier loads when it starts and polls as a safety net. */
  Future<JsonObject> since(AuthApi.RevocationsSince q) {
    return users.cutoffsSince(pool, OffsetDateTime.ofInstant(Instant.ofEpochMilli(q.sinceMs()), ZoneOffset.UTC))
      .map(cut -> new JsonObject().put("items", new JsonArray(cut.stream().map(AuthApi.Revocation::toJson).toList())));
  }

  /** A user's token cut-off in epoch milliseconds, 0 when none. */
  Future<Long> cutoffMs(SqlClient db, UUID userId) {
    return users.cutoff(db, userId).map(at -> at.map(t -> t.toInstant().toEpochMilli()).orElse(0L));
  }
}
