package io.mediamesh.common.auth;

import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-user cut-offs of access tokens: a token of a user issued before that user's cut-off is refused, so disabling
 * a user, changing their role or logging out takes effect everywhere within moments instead of when the token
 * expires. The auth service publishes each new cut-off on {@link AuthApi#REVOKED} (a clustered publish reaches every
 * node); a verifier also loads the recent ones at start and asks again every {@code pollMs}, in case it missed a
 * publish. Cut-offs older than the longest access-token lifetime are forgotten: no token they could refuse is alive.
 * If the auth service cannot be asked, tokens are judged by the cut-offs known so far (a signature still proves them).
 */
public final class Revocations {

  private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);
  /** The longest access-token lifetime allowed (auth.accessTokenTtlSeconds is at most 3600) plus clock skew. */
  private static final long HORIZON_MS = 3_700_000;

  private final Map<String, Long> cutoffs = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final BusClient bus;
  private final long pollMs;
  private MessageConsumer<JsonObject> pushes;
  private volatile long timer = -1;
  private volatile boolean loaded;
  private volatile boolean stopped;

  public Revocations(Vertx vertx, BusClient bus, long pollMs) {
    this.vertx = vertx;
    this.bus = bus;
    this.pollMs = pollMs;
  }

  /** Listens for pushed cut-offs and loads the recent ones (not waiting for auth: it may start after this). */
  public Future<Void> start() {
    pushes = vertx.eventBus().<JsonObject>consumer(AuthApi.REVOKED, msg -> apply(msg.body()));
    return pushes.completion().onSuccess(v -> {
      // until the first load succeeds (auth may start later), ask every second, not every pollMs: a verifier that
      // just started knows no cut-off made before it
      timer = vertx.setPeriodic(1000, id -> {
        if (stopped) {
          vertx.cancelTimer(id);
        } else if (loaded) {
          vertx.cancelTimer(id);
          timer = vertx.setPeriodic(pollMs, next -> poll());
        } else {
          poll();
        }
      });
      poll();
    });
  }

  /** Whether the cut-offs made before this verifier started have been loaded. */
  public boolean loaded() {
    return loaded;
  }

  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return pushes == null ? Future.succeededFuture() : pushes.unregister();
  }

  /** The cut-off of {@code userId} in epoch milliseconds, or 0. */
  public long cutoffMs(String userId) {
    Long c = cutoffs.get(userId);
    return c == null ? 0 : c;
  }

  /** Whether a token of {@code userId} issued at {@code issuedAtMs} is refused. */
  public boolean revoked(String userId, long issuedAtMs) {
    return issuedAtMs < cutoffMs(userId);
  }

  void apply(JsonObject json) {
    AuthApi.Revocation revocation;
    try {
      revocation = AuthApi.Revocation.from(json);
    } catch (ServiceException malformed) {
      LOG.debug("not a token cut-off, ignored: {}", malformed.getMessage());
      return;
    }
    cutoffs.merge(revocation.userId().toString(), revocation.validAfterMs(), Math::max);
  }

  private void poll() {
    long now = System.currentTimeMillis();
    cutoffs.values().removeIf(at -> at < now - HORIZON_MS);
    bus.<AuthApi.RevocationsSince, JsonObject>send(AuthApi.REVOCATIONS, new AuthApi.RevocationsSince(now - HORIZON_MS), Caller.anonymous())
      .onSuccess(r -> {
        JsonArray items = r.getJsonArray("items", new JsonArray());
        items.forEach(i -> apply((JsonObject) i));
        loaded = true;
      })
      .onFailure(err -> LOG.debug("token cut-offs not refreshed: {}", err.getMessage()));
  }
}
