package io.mediamesh.playback;

import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.PlaybackApi;
import io.mediamesh.common.api.PlaybackApi.ContentKey;
import io.mediamesh.common.api.PlaybackApi.Heartbeat;
import io.mediamesh.common.api.PlaybackApi.Reason;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.playback.domain.AccessCheck;
import io.mediamesh.playback.domain.AccessCheck.Decision;
import io.mediamesh.playback.persistence.Catalog;
import io.mediamesh.playback.persistence.ProgressRepository;
import io.mediamesh.playback.persistence.RightRepository;
import io.mediamesh.playback.sessions.StreamSessions;
import io.mediamesh.playback.sessions.StreamSigner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Plays: the access check with its inputs loaded, sessions with a signed stream URL and a stream slot, heartbeats
 * that check again (a revoked right, an expired rental or an ended window ends the session at its next heartbeat)
 * and save the position, and the end of a session.
 */
final class Plays {

  private final Pool pool;
  private final PlaybackConfig config;
  private final Clock clock;
  private final Rules rules;
  private final StreamSessions sessions;
  private final StreamSigner signer;
  /** Announces a session's end to the gateways serving its bytes. */
  private final java.util.function.Consumer<UUID> ended;
  private final Catalog catalog = new Catalog();
  private final RightRepository rights = new RightRepository();
  private final ProgressRepository progress = new ProgressRepository();

  Plays(Pool pool, PlaybackConfig config, Clock clock, Rules rules, StreamSessions sessions, StreamSigner signer,
        java.util.function.Consumer<UUID> ended) {
    this.ended = ended;
    this.pool = pool;
    this.config = config;
    this.clock = clock;
    this.rules = rules;
    this.sessions = sessions;
    this.signer = signer;
  }

  /** A checked play: the content, and the decision at {@code now}. */
  private record Checked(Catalog.Item item, Decision decision, Instant now) {
  }

  /** What the access check needs of a content, and until when it is trusted without reading it again. */
  private record Known(Catalog.Item item, Rules.Effective rule, long until) {
  }

  /**
   * Contents' items and effective rules, read at most every {@link PlaybackConfig#contentCacheMs} (every heartbeat of
   * every viewer of a content needs them); forgotten at once when rules or the projection change
   * ({@link #forgetContent}, announced to every instance).
   */
  private final java.util.Map<String, Known> known = new java.util.concurrent.ConcurrentHashMap<>();

  /** Forgets every content's item and rule (a rule or the published catalog changed). */
  void forgetContent() {
    known.clear();
  }

  private Future<Known> content(ContentType type, UUID id, long nowMs) {
    String key = type.name() + ":" + id;
    Known hit = known.get(key);
    if (hit != null && hit.until() > nowMs) {
      return Future.succeededFuture(hit);
    }
    return catalog.item(pool, type, id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(ServiceException.notFound(PlaybackApi.name(type) + " " + id));
      }
      Catalog.Item item = found.get();
      return rules.effective(pool, item.id(), item.programId()).map(rule -> {
        Known k = new Known(item, rule, nowMs + config.contentCacheMs());
        if (known.size() >= 100_000) {
          known.clear(); // a bound: entries are seconds old and cheap to read again
        }
        known.put(key, k);
        return k;
      });
    });
  }

  /**
   * The access check for a viewer, with {@code activeStreams} of theirs counted (or being counted: its inputs are
   * read at once).
   */
  private Future<Checked> check(Viewer viewer, ContentType type, UUID id, Future<Integer> activeStreams) {
    Instant now = now();
    // the viewer's rights are read every time: a revoked one ends the stream at its next heartbeat
    return Future.all(content(type, id, now.toEpochMilli()), rights.standing(pool, viewer.account()), activeStreams)
      .map(all -> {
        Known k = all.resultAt(0);
        Catalog.Item item = k.item();
        Rules.Effective rule = k.rule();
        AccessCheck.Content content = new AccessCheck.Content(type, id, item.programId(), rule.access(),
          rule.availableFrom(), rule.availableUntil(), item.ageRating(), item.playable());
        return new Checked(item, AccessCheck.decide(new AccessCheck.Input(content, all.resultAt(1),
          viewer.maxAgeRating(), all.<Integer>resultAt(2), config.defaultMaxStreams(), now)), now);
      });
  }

  /** The access check alone (for other services, e.g. live): {@code {allowed, reason, via, until}}. */
  Future<JsonObject> decide(Viewer viewer, ContentKey key) {
    return check(viewer, key.type(), key.id(), sessions.active(viewer.account(), clock.millis()))
      .map(c -> c.decision().toJson());
  }

  /**
   * A play: the check (its inputs read at once), a stream slot, the session's start recorded (one statement, or a
   * transaction when it starts a rental's clock too), and where to resume (read meanwhile).
   */
  Future<JsonObject> play(Viewer viewer, ContentKey key) {
    long nowMs = clock.millis();
    Future<Integer> resumeAt = progress.resumeAt(pool, viewer.account(), viewer.profile(), key.type(), key.id());
    return check(viewer, key.type(), key.id(), sessions.active(viewer.account(), nowMs))
      .compose(checked -> {
        Decision d = checked.decision();
        if (!d.allowed()) {
          return Future.failedFuture(refusal(d.reason()));
        }
        UUID id = UUID.randomUUID();
        Instant now = checked.now();
        Instant tokenEnd = now.plus(config.streamTokenTtl());
        Instant expiresAt = d.until() != null && d.until().isBefore(tokenEnd) ? d.until() : tokenEnd;
        Catalog.Item item = checked.item();
        JsonObject state = new JsonObject().put("id", id.toString()).put("account", viewer.account())
          .put("profile", viewer.profile()).put("contentType", key.type().name()).put("contentId", key.id().toString())
          .put("mediaId", item.mediaId().toString()).put("via", d.via().name()).put("startedAt", now.toString())
          .put("expiresAt", expiresAt.toString()).put("durationSeconds", item.durationSeconds())
          .put("positionSeconds", 0).put("progressEventAt", 0L);
        // signed before anything is held or written: a URL that cannot be made fails the play cleanly
        String manifestUrl = signer.manifestUrl(id, item.prefix(), item.entry(), expiresAt);
        return sessions.acquire(viewer.account(), id, state, d.maxStreams(), d.evictOldest(), nowMs)
          .compose(slot -> {
            if (!slot.taken()) {
              return Future.failedFuture(refusal(Reason.STREAM_LIMIT));
            }
            slot.evicted().forEach(ended);
            JsonObject started = sessionEvent(state).put("evicted", new io.vertx.core.json.JsonArray(
              slot.evicted().stream().map(UUID::toString).toList()));
            Future<Void> recorded = d.startsRental()
              ? pool.withTransaction(tx -> startRental(tx, viewer, d, now)
                .compose(v -> PlaybackEvents.append(tx, PlaybackEvents.SESSION_STARTED, viewer.account(), started)))
              : PlaybackEvents.append(pool, PlaybackEvents.SESSION_STARTED, viewer.account(), started);
            return recorded.compose(v -> resumeAt)
              // the slot is not held for a play that did not start
              .recover(err -> sessions.end(viewer.account(), id).transform(x -> Future.failedFuture(err)))
              .map(resume -> new JsonObject().put("sessionId", id.toString())
                .put("manifestUrl", manifestUrl)
                .put("expiresAt", expiresAt.toString()).put("heartbeatSeconds", config.heartbeatSeconds())
                .put("resumePositionSeconds", resume).put("via", d.via().name())
                .put("until", d.until() == null ? null : d.until().toString()));
          });
      });
  }

  Future<JsonObject> heartbeat(Viewer viewer, Heartbeat beat) {
    return own(viewer, beat.id()).compose(held -> {
      // a session ended by this heartbeat ends at the position it reports
      JsonObject state = held.copy().put("positionSeconds", beat.positionSeconds());
      ContentType type = ContentType.valueOf(state.getString("contentType"));
      UUID contentId = UUID.fromString(state.getString("contentId"));
      // the session holds its slot already: the limit is the renewal's to enforce
      return check(viewer, type, contentId, Future.succeededFuture(0))
        .recover(err -> ServiceException.from(err).code() == ErrorCode.NOT_FOUND
          ? end(viewer, state, Reason.NOT_AVAILABLE).transform(x -> Future.failedFuture(refusal(Reason.NOT_AVAILABLE)))
          : Future.failedFuture(err))
        .compose(checked -> {
          Decision d = checked.decision();
          if (!d.allowed()) {
            return end(viewer, state, d.reason()).compose(x -> Future.failedFuture(refusal(d.reason())));
          }
          // the right the session began with may be gone and a rental not started yet allow it now: its clock starts
          Future<Void> rental = !d.startsRental() ? Future.succeededFuture()
            : pool.withTransaction(tx -> startRental(tx, viewer, d, checked.now()));
          return rental.compose(v -> renewed(viewer, beat, state, checked));
        });
    });
  }

  /** The heartbeat of a session still allowed: its slot renewed (or why it is gone), its position saved. */
  private Future<JsonObject> renewed(Viewer viewer, Heartbeat beat, JsonObject state, Checked checked) {
    Decision d = checked.decision();
    long nowMs = checked.now().toEpochMilli();
    boolean publish = nowMs - state.getLong("progressEventAt", 0L) >= config.progressEventEvery().toMillis();
    // the state carries the reported position already (heartbeat)
    JsonObject next = state.copy().put("progressEventAt", publish ? nowMs : state.getLong("progressEventAt", 0L));
    return sessions.renew(viewer.account(), beat.id(), next, nowMs).compose(renewal -> switch (renewal) {
      case GONE -> Future.failedFuture(gone(beat.id()));
      case EVICTED -> end(viewer, state, Reason.STREAM_LIMIT)
        .compose(x -> Future.failedFuture(refusal(Reason.STREAM_LIMIT)));
      // the position is in the session's state (just renewed); the database has it at most every
      // progressEventSeconds, with its event, and at the session's end
      case RENEWED -> (publish ? saveProgress(viewer, next, beat.positionSeconds(), checked.now())
        : Future.<Void>succeededFuture())
        .map(v -> new JsonObject().put("sessionId", beat.id().toString())
          .put("expiresAt", state.getString("expiresAt")).put("heartbeatSeconds", config.heartbeatSeconds())
          .put("positionSeconds", beat.positionSeconds()).put("via", d.via().name())
          .put("until", d.until() == null ? null : d.until().toString()));
    });
  }

  /**
   * Starts the clock of the rental a decision that {@link Decision#startsRental starts one} uses, once (a concurrent
   * play may have started it), with its event.
   */
  private Future<Void> startRental(io.vertx.sqlclient.SqlConnection tx, Viewer viewer, Decision d, Instant now) {
    return rights.startRental(tx, d.right(), now, d.rightEnds()).compose(started -> !started
      ? Future.<Void>succeededFuture()
      : rights.byId(tx, viewer.account(), d.right()).compose(found -> PlaybackEvents.append(tx,
        PlaybackEvents.RENTAL_STARTED, viewer.account(), found.map(r -> r.toJson(now)).orElse(new JsonObject())
          .put("rightId", d.right().toString()).put("startedAt", now.toString())
          .put("endsAt", d.rightEnds().toString()))));
  }

  Future<JsonObject> stop(Viewer viewer, Heartbeat beat) {
    return own(viewer, beat.id())
      .compose(state -> end(viewer, beat.positionSeconds() == null ? state
        : state.copy().put("positionSeconds", beat.positionSeconds()), null))
      .map(v -> new JsonObject());
  }

  /** The session, if it is the viewer's and still there: someone else's is as absent as an ended one. */
  private Future<JsonObject> own(Viewer viewer, UUID id) {
    return sessions.get(id).compose(found -> {
      Optional<JsonObject> mine = found.filter(s -> viewer.account().equals(s.getString("account")));
      return mine.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(gone(id)));
    });
  }

  /** Ends a session; its end is announced by whoever removed it first (this, or the sweep of silent sessions). */
  private Future<Void> end(Viewer viewer, JsonObject state, Reason reason) {
    UUID id = UUID.fromString(state.getString("id"));
    Instant now = now();
    return sessions.end(viewer.account(), id).compose(removed -> {
      ended.accept(id);
      return !removed ? Future.succeededFuture() : pool.withTransaction(tx -> finalProgress(tx, progress, config,
          state, now)
        .compose(v -> PlaybackEvents.append(tx, PlaybackEvents.SESSION_ENDED, viewer.account(), sessionEvent(state)
          .put("reason", reason == null ? "STOPPED" : reason.name()).put("endedAt", now.toString())
          .put("positionSeconds", state.getInteger("positionSeconds", 0)))));
    });
  }

  /**
   * A session's last position ({@code state}'s), saved as it ends with its {@code playback.progress}, in {@code tx};
   * nothing when it never got past 0.
   */
  static Future<Void> finalProgress(io.vertx.sqlclient.SqlConnection tx, ProgressRepository progress,
                                    PlaybackConfig config, JsonObject state, Instant now) {
    int position = state.getInteger("positionSeconds", 0);
    if (position <= 0) {
      return Future.succeededFuture();
    }
    return progressWrite(tx, progress, config, state.getString("account"), state.getString("profile"),
      ContentType.valueOf(state.getString("contentType")), UUID.fromString(state.getString("contentId")), position,
      state.getInteger("durationSeconds"), now);
  }

  /** Saves a position with its {@code playback.progress} event. */
  private Future<Void> saveProgress(Viewer viewer, JsonObject state, int position, Instant now) {
    return pool.withTransaction(tx -> progressWrite(tx, progress, config, viewer.account(), viewer.profile(),
      ContentType.valueOf(state.getString("contentType")), UUID.fromString(state.getString("contentId")), position,
      state.getInteger("durationSeconds"), now));
  }

  private static Future<Void> progressWrite(io.vertx.sqlclient.SqlConnection tx, ProgressRepository progress,
                                            PlaybackConfig config, String account, String profile, ContentType type,
                                            UUID contentId, int position, Integer duration, Instant now) {
    boolean finished = duration != null && duration > 0 && position >= duration * config.finishedRatio();
    return progress.save(tx, account, profile, type, contentId, position, duration, finished,
        now.atOffset(java.time.ZoneOffset.UTC))
      .compose(v -> PlaybackEvents.append(tx, PlaybackEvents.PROGRESS, account, new JsonObject()
        .put("profileId", profile).put("contentType", PlaybackApi.name(type))
        .put("contentId", contentId.toString()).put("positionSeconds", position).put("durationSeconds", duration)
        .put("finished", finished).put("at", now.toString())));
  }

  static JsonObject sessionEvent(JsonObject state) {
    return new JsonObject().put("sessionId", state.getString("id")).put("profileId", state.getString("profile"))
      .put("contentType", PlaybackApi.name(ContentType.valueOf(state.getString("contentType"))))
      .put("contentId", state.getString("contentId")).put("mediaId", state.getString("mediaId"))
      .put("via", state.getString("via")).put("startedAt", state.getString("startedAt"));
  }

  static ServiceException refusal(Reason reason) {
    String message = switch (reason) {
      case NOT_ENTITLED -> "no right of the caller allows playing this";
      case RENTAL_EXPIRED -> "the rental of this has expired";
      case STREAM_LIMIT -> "the account plays as many streams as its plan allows";
      case PARENTAL_BLOCK -> "this is rated above the profile's age limit";
      case NOT_AVAILABLE -> "this is not available now";
      case NOT_PLAYABLE -> "this has nothing ready to play yet";
    };
    return new ServiceException(ErrorCode.FORBIDDEN, message, new JsonObject().put("reason", reason.name()));
  }

  private static ServiceException gone(UUID id) {
    return ServiceException.notFound("session " + id + " (it ended, or missed two heartbeats)");
  }

  /** The time to the millisecond: what is stored (PostgreSQL keeps microseconds) reads back equal. */
  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }
}
