package io.mediamesh.discoverygateway;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.stream.PathTokens;
import io.mediamesh.common.stream.StreamSessionKeys;
import io.mediamesh.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code GET /stream/<token>/<path>}: the bytes of a playback session's HLS objects. The token (signed by playback)
 * names a storage prefix and an expiry; {@code path} is resolved under that prefix, so the master playlist, its media
 * playlists and their segments all load through the one token. An invalid token is a 403, an expired one a 410,
 * and so is the token of a session that has ended (stopped, evicted, refused at a heartbeat, or silent for two
 * heartbeat intervals): its state in Redis is checked at most every {@link #ALIVE_MS}, and its end, announced by
 * playback on the bus, is forgotten at once.
 * The object is piped from the store as it arrives (a presigned GET with the client's {@code Range} and validators),
 * never buffered whole, with the store's status, length and range and the content type of the HLS file kind.
 * A session may make {@code requestsPerMinute} requests a minute at this instance (a fixed window, counted before the
 * store is asked); past it a 429 with {@code Retry-After}, so one leaked URL cannot flood the store.
 */
final class StreamBytes implements Handler<RoutingContext> {

  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}(/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}){0,3}");
  private static final Map<String, String> TYPES = Map.of(
    "m3u8", "application/vnd.apple.mpegurl", "ts", "video/mp2t", "m4s", "video/iso.segment", "mp4", "video/mp4",
    "aac", "audio/aac", "vtt", "text/vtt", "jpg", "image/jpeg", "webp", "image/webp");
  private static final List<String> FORWARDED = List.of("Range", "If-Range", "If-None-Match", "If-Modified-Since");
  private static final List<String> RETURNED = List.of("Content-Length", "Content-Range", "Accept-Ranges", "ETag",
    "Last-Modified");
  private static final Duration PRESIGN_TTL = Duration.ofMinutes(5);
  /** A presigned URL is reused this long (signing one costs more than piping a small playlist). */
  private static final long PRESIGN_REUSE_MS = 60_000;

  /** How long a session seen running is trusted without asking Redis again (its end is also announced). */
  static final long ALIVE_MS = 5_000;
  private static final int ALIVE_MAX = 100_000;
  /** Running in Redis: the session's state is there and it was not ended to make room for a newer one. */
  private static final String ALIVE = "if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('EXISTS', KEYS[2]) == 0 "
    + "then return 1 else return 0 end";

  private final PathTokens tokens;
  private final Storage storage;
  private final HttpClient client;
  private final Clock clock;
  private final RedisAPI redis;
  /** Sessions seen running, until when (the clock's millis); dropped at once when playback announces their end. */
  private final Map<UUID, Long> alive = new ConcurrentHashMap<>();
  private final MessageConsumer<String> ended;
  private final int requestsPerMinute;
  /** Each session's requests in the current minute: {minute, count}. */
  private final Map<UUID, long[]> windows = new ConcurrentHashMap<>();
  /** Presigned GETs of objects, with when they stop being reused (far inside their own validity). */
  private final Map<String, Presigned> presigned = new ConcurrentHashMap<>();

  private record Presigned(String url, long reuseUntil) {
  }

  StreamBytes(Vertx vertx, PathTokens tokens, Storage storage, Redis redis, Clock clock, int requestsPerMinute) {
    this.requestsPerMinute = requestsPerMinute;
    this.tokens = tokens;
    this.storage = storage;
    this.clock = clock;
    this.redis = RedisAPI.api(redis);
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setIdleTimeout(30),
      new PoolOptions().setHttp1MaxSize(256));
    this.ended = vertx.eventBus().consumer(StreamSessionKeys.ENDED_ADDRESS, msg -> {
      try {
        alive.remove(UUID.fromString(msg.body()));
      } catch (IllegalArgumentException e) {
        // not a session id: nothing to forget
      }
    });
  }

  Future<Void> close() {
    return ended.unregister().compose(v -> client.close());
  }

  /** Whether the session still runs: a stopped, evicted, refused or silent session's URL serves nothing more. */
  private Future<Boolean> running(UUID session) {
    long now = clock.millis();
    Long until = alive.get(session);
    if (until != null && until > now) {
      return Future.succeededFuture(true);
    }
    return redis.eval(List.of(ALIVE, "2", StreamSessionKeys.session(session), StreamSessionKeys.evicted(session)))
      .map(r -> {
        boolean running = r != null && r.toInteger() == 1;
        if (running) {
          if (alive.size() >= ALIVE_MAX) {
            alive.clear(); // a bound, not a policy: entries are seconds old and cheap to learn again
          }
          alive.put(session, now + ALIVE_MS);
        } else {
          alive.remove(session);
        }
        return running;
      });
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    String rest = path.substring("/stream/".length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      ctx.fail(ServiceException.notFound("stream object"));
      return;
    }
    String token = rest.substring(0, slash);
    String file = rest.substring(slash + 1);
    PathTokens.Verdict verdict = tokens.verify(token, clock.instant());
    if (verdict instanceof PathTokens.Expired e) {
      ctx.fail(new ServiceException(ErrorCode.GONE, "the stream token expired at " + e.at()
        + "; start the playback again"));
      return;
    }
    if (!(verdict instanceof PathTokens.Valid valid)) {
      ctx.fail(ServiceException.forbidden("the stream token is not valid (" + ((PathTokens.Invalid) verdict).why()
        + ")"));
      return;
    }
    PathTokens.Grant grant = valid.grant();
    long retryAfter = admit(grant.session());
    if (retryAfter > 0) {
      ctx.fail(new ServiceException(ErrorCode.RATE_LIMITED, "too many stream requests for this session; slow down",
        new JsonObject().put("policy", "stream-session").put("retryAfterSeconds", retryAfter)));
      return;
    }
    String type = contentType(file);
    if (!PATH.matcher(file).matches() || file.contains("..") || type == null) {
      ctx.fail(ServiceException.notFound("stream object " + file));
      return;
    }
    ctx.request().pause();
    running(grant.session()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(new ServiceException(ErrorCode.UNAVAILABLE, "cannot check the playback session"));
      } else if (!ar.result()) {
        ctx.fail(new ServiceException(ErrorCode.GONE, "the playback session has ended; start the playback again"));
      } else {
        pipe(ctx, presign(grant.prefix() + file), type, file.endsWith(".m3u8"));
      }
    });
  }

  /** A presigned GET of {@code key}, valid for minutes still: one signature serves every viewer for a minute. */
  private String presign(String key) {
    long now = clock.millis();
    Presigned p = presigned.get(key);
    if (p != null && p.reuseUntil() > now) {
      return p.url();
    }
    if (presigned.size() >= ALIVE_MAX) {
      presigned.values().removeIf(old -> old.reuseUntil() <= now);
      if (presigned.size() >= ALIVE_MAX) {
        presigned.clear();
      }
    }
    String url = storage.presignGet(key, PRESIGN_TTL);
    presigned.put(key, new Presigned(url, now + PRESIGN_REUSE_MS));
    return url;
  }

  /** Counts a request of {@code session}: 0 when admitted, else the seconds until its next minute. */
  private long admit(UUID session) {
    long now = clock.millis();
    long minute = now / 60_000;
    if (windows.size() >= ALIVE_MAX) {
      windows.values().removeIf(w -> w[0] != minute); // a bound: past minutes count for nothing
    }
    long[] w = windows.compute(session, (k, old) -> {
      if (old == null || old[0] != minute) {
        return new long[] {minute, 1};
      }
      old[1]++;
      return old;
    });
    return w[1] <= requestsPerMinute ? 0 : Math.max(1, ((minute + 1) * 60_000 - now + 999) / 1000);
  }

  private void pipe(RoutingContext ctx, String url, String type, boolean playlist) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
      .setTimeout(30_000);
    MultiMap in = ctx.request().headers();
    for (String h : FORWARDED) {
      if (in.get(h) != null) {
        options.putHeader(h, in.get(h));
      }
    }
    client.request(options)
      .compose(req -> {
        ctx.response().closeHandler(v -> req.reset());
        return req.send();
      })
      .onFailure(err -> ctx.fail(new ServiceException(ErrorCode.UNAVAILABLE, "the store did not answer")))
      .onSuccess(upstream -> {
        int status = upstream.statusCode();
        HttpServerResponse out = ctx.response();
        if (status == 404 || status == 403) {
          upstream.body();
          ctx.fail(ServiceException.notFound("stream object"));
          return;
        }
        if (status != 200 && status != 206 && status != 304 && status != 416) {
          upstream.body();
          ctx.fail(new ServiceException(ErrorCode.UNAVAILABLE, "the store answered " + status));
          return;
        }
        out.setStatusCode(status);
        for (String h : RETURNED) {
          String value = upstream.getHeader(h);
          if (value != null) {
            out.putHeader(h, value);
          }
        }
        out.putHeader("Content-Type", type)
          // a playlist may still grow while higher rungs are made; segments never change
          .putHeader("Cache-Control", playlist ? "private, max-age=2" : "private, max-age=86400, immutable");
        if (upstream.getHeader("Content-Length") == null) {
          out.setChunked(true);
        }
        // a store failing mid-body must not end the answer as if complete (its length was promised): reset it
        upstream.pipe().endOnFailure(false).to(out).onFailure(err -> out.reset());
      });
  }

  static String contentType(String file) {
    int dot = file.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(file.substring(dot + 1));
  }
}
