package io.mediamesh.ingest.auth;

import com.nimbusds.jwt.SignedJWT;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * Who ingest is when it calls the CMS and metadata services: its service account, with an access token obtained
 * from the auth service with the client secret ({@code mediamesh.auth.service-token}). Jobs run later than the
 * request that made them (retries, schedules), when no user's token is at hand, so every job acts as this account;
 * the job row records which user asked. The token is cached and renewed when a fifth of its life (at least 30 s)
 * is left; concurrent callers share one renewal.
 */
public final class ServiceIdentity {

  public static final String CLIENT_ID = "ingest";

  private final BusClient bus;
  private final String secret;
  private final Clock clock;
  private Caller caller;
  private Instant renewAt = Instant.MIN;
  private Future<Caller> renewing;

  public ServiceIdentity(BusClient bus, String secret, Clock clock) {
    this.bus = bus;
    this.secret = secret;
    this.clock = clock;
  }

  /** The service account as a caller with a valid token (call on the service's event loop). */
  public Future<Caller> caller() {
    if (caller != null && clock.instant().isBefore(renewAt)) {
      return Future.succeededFuture(caller);
    }
    if (renewing == null) {
      renewing = renew().onComplete(ar -> renewing = null);
    }
    return renewing;
  }

  /** Forgets the token (e.g. a service refused it after a key rotation); the next call gets a new one. */
  public void invalidate() {
    caller = null;
  }

  private Future<Caller> renew() {
    JsonObject body = new JsonObject().put("clientId", CLIENT_ID).put("clientSecret", secret);
    return bus.<JsonObject>request(AuthApi.SERVICE_TOKEN, body, Caller.anonymous())
      .recover(err -> Future.failedFuture(err instanceof ServiceException se && se.code().status() == 401
        ? new IllegalStateException("the auth service refused ingest's client secret: set the same "
        + "MEDIAMESH_AUTH_SERVICE_CLIENTS_INGEST for auth and ingest")
        : err))
      .map(reply -> {
        String token = reply.getString("accessToken");
        long ttl = reply.getLong("expiresIn", 0L);
        try {
          String subject = SignedJWT.parse(token).getJWTClaimsSet().getSubject();
          caller = new Caller(subject, Set.of(Role.EDITOR), token);
        } catch (ParseException | NullPointerException e) {
          throw new IllegalStateException("the auth service answered an unreadable token");
        }
        renewAt = clock.instant().plusSeconds(ttl - Math.max(30, ttl / 5));
        return caller;
      });
  }
}
