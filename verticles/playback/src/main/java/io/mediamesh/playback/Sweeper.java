package io.mediamesh.playback;

import io.mediamesh.common.api.PlaybackApi;
import io.mediamesh.common.api.ContentType;
import io.mediamesh.playback.persistence.ProgressRepository;
import io.mediamesh.playback.persistence.RightRepository;
import io.mediamesh.playback.sessions.StreamSessions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What ends by itself, announced: every {@code sweepInterval}, sessions that stopped reporting (past two heartbeat
 * intervals) end with {@code playback.session.ended} (reason {@code TIMED_OUT}, or {@code STREAM_LIMIT} for one a
 * newer play evicted and that never reported again) and their last position saved, and rentals that expired (48 h after their first play, or
 * never started within their 30 days) are marked with {@code rental.expired}. Rentals are marked and announced in
 * one transaction, rows locked with SKIP LOCKED, so every instance may sweep and each expiry is announced once.
 * Sessions are claimed from Redis by one script (each once); when their events cannot be written they are put back
 * for the next sweep. Time is the service's clock.
 */
final class Sweeper {

  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
  /** At most this many of each per sweep; a sweep that took that many runs again at once. */
  static final int BATCH = 200;

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final StreamSessions sessions;
  private final Consumer<UUID> ended;
  private final long intervalMs;
  private final RightRepository rights = new RightRepository();
  private final ProgressRepository progress = new ProgressRepository();
  private final PlaybackConfig config;
  private long timer = -1;
  private boolean running;

  Sweeper(Vertx vertx, Pool pool, Clock clock, PlaybackConfig config, StreamSessions sessions,
          Consumer<UUID> ended) {
    this.config = config;
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.sessions = sessions;
    this.ended = ended;
    this.intervalMs = config.sweepIntervalMs();
  }

  void start() {
    timer = vertx.setPeriodic(intervalMs, id -> {
      if (running) {
        return; // the last sweep still runs
      }
      running = true;
      sweep().onComplete(ar -> {
        running = false;
        if (ar.failed()) {
          LOG.warn("playback sweep failed (retried at the next interval): {}", ar.cause().getMessage());
        }
      });
    });
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** One sweep of both; how many sessions and rentals it ended (after a full batch of either, again at once). */
  Future<Integer> sweep() {
    return sessions().compose(s -> rentals().compose(r -> s >= BATCH || r >= BATCH
      ? sweep().map(more -> s + r + more) : Future.succeededFuture(s + r)));
  }

  private Future<Integer> sessions() {
    long now = clock.millis();
    return sessions.claimTimedOut(now, BATCH).compose(claimed -> {
      if (claimed.isEmpty()) {
        return Future.succeededFuture(0);
      }
      claimed.forEach(t -> ended.accept(t.id()));
      return pool.withTransaction(tx -> {
        Future<Void> all = Future.succeededFuture();
        for (StreamSessions.TimedOut t : claimed) {
          if (t.state() == null) {
            continue; // nothing to say of it: its state was lost with Redis
          }
          JsonObject data = Plays.sessionEvent(t.state())
            .put("reason", t.evicted() ? PlaybackApi.Reason.STREAM_LIMIT.name() : "TIMED_OUT")
            .put("positionSeconds", t.state().getInteger("positionSeconds"))
            .put("endedAt", Instant.ofEpochMilli(t.deadlineMs()).toString());
          Instant ended = Instant.ofEpochMilli(t.deadlineMs());
          all = all.compose(v -> Plays.finalProgress(tx, progress, config, t.state(), ended))
            .compose(v -> PlaybackEvents.append(tx, PlaybackEvents.SESSION_ENDED, t.state().getString("account"),
              data));
        }
        return all;
      }).map(v -> claimed.size())
        .recover(err -> sessions.unclaim(claimed).transform(x -> Future.failedFuture(err)));
    });
  }

  private Future<Integer> rentals() {
    Instant now = clock.instant();
    return pool.withTransaction(tx -> rights.markExpiredRentals(tx, now, BATCH).compose(expired -> {
      Future<Void> all = Future.succeededFuture();
      for (RightRepository.Expired e : expired) {
        JsonObject data = new JsonObject().put("rightId", e.id().toString())
          .put("contentType", PlaybackApi.name(ContentType.valueOf(e.contentType())))
          .put("contentId", e.contentId().toString())
          .put("reason", e.started() ? "WATCH_WINDOW_ENDED" : "NOT_STARTED_IN_TIME")
          .put("expiredAt", e.expiredAt().toString());
        all = all.compose(v -> PlaybackEvents.append(tx, PlaybackEvents.RENTAL_EXPIRED, e.account(), data));
      }
      return all.map(v -> expired.size());
    }));
  }
}
