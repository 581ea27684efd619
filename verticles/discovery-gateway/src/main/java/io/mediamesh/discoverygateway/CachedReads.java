package io.mediamesh.discoverygateway;

import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.gateway.ETags;
import io.mediamesh.gateway.FastPath;
import io.mediamesh.gateway.GatewayRequest;
import io.mediamesh.gateway.Hashes;
import io.mediamesh.gateway.OperationHandler;
import io.mediamesh.gateway.Reply;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.function.Function;

/**
 * Public reads through the {@link ResponseCache}: a fresh near-cached answer is written as it is (no downstream
 * call, no JSON work); a miss asks the downstream service through its breaker (one call per key at a time, shared by
 * the requests that miss together) and caches the encoded answer; when the call fails for the service's reasons
 * (open breaker, 5xx, timeout) the last good answer is served with {@code X-Cache: STALE}, else the failure (a 503
 * with Retry-After). Every answer carries an ETag (of the version for details, of the bytes for lists) and
 * {@code Cache-Control: public, max-age} for CDNs.
 */
final class CachedReads {

  private final ResponseCache cache;
  private final String cacheControl;
  private final Clock clock;

  CachedReads(ResponseCache cache, long maxAgeSeconds, Clock clock) {
    this.cache = cache;
    this.cacheControl = "public, max-age=" + maxAgeSeconds;
    this.clock = clock;
  }

  /**
   * How one operation reads: its key, its bus request (read through the operation's record, as the service will
   * read it), and how long its answers stay fresh.
   */
  OperationHandler read(Downstream downstream, Operation<?> operation, Function<GatewayRequest, String> key,
                        Function<GatewayRequest, JsonObject> request, long ttlMs) {
    return new OperationHandler() {
      @Override
      public Operation<?> forwardsTo() {
        return operation;
      }

      @Override
      public Future<Reply> handle(GatewayRequest req) {
        return cachedRead(downstream, operation, key, request, ttlMs, req);
      }
    };
  }

  private Future<Reply> cachedRead(Downstream downstream, Operation<?> operation, Function<GatewayRequest, String> key,
                                   Function<GatewayRequest, JsonObject> request, long ttlMs, GatewayRequest req) {
    String k = key.apply(req);
    long now = clock.millis();
    ResponseCache.Entry hit = cache.fresh(k, now);
    if (hit != null) {
      return Future.succeededFuture(hit.hit());
    }
    // a popular search whose entry just expired costs one query, not one per waiting client
    return cache.load(k, () -> fetch(downstream, operation, request.apply(req), now + ttlMs))
      .map(e -> reply(e.body(), e.etag(), "MISS"))
      .recover(err -> {
        ServiceException se = ServiceException.from(err);
        if (se.code().isClientError()) {
          return Future.failedFuture(se);
        }
        return cache.stale(k).compose(stale -> stale == null
          ? Future.failedFuture(se.code() == ErrorCode.INTERNAL ? se : downstream.unavailable())
          : Future.succeededFuture(reply(stale.body(), stale.etag(), "STALE").header("Cache-Control", "public, max-age=0")));
      });
  }

  /** One downstream call; the caller does not change public answers, so it asks anonymously and one answer fits all. */
  private Future<ResponseCache.Entry> fetch(Downstream downstream, Operation<?> operation, JsonObject request,
                                            long expiresAt) {
    return downstream.<JsonObject>request(operation, operation.read(request).toJson(), Caller.anonymous(), true)
      .map(json -> {
        Buffer body = json.toBuffer();
        String etag = etag(json, body);
        return new ResponseCache.Entry(body, etag, expiresAt, reply(body, etag, "HIT"));
      });
  }

  /**
   * A fresh near-cached detail for the raw path parameter {@code id}, before validation: entries exist only for ids
   * a validated request asked for, so an id that does not validate can never hit.
   */
  FastPath detail(Function<String, String> key) {
    return id -> {
      ResponseCache.Entry hit = id == null ? null : cache.peek(key.apply(id), clock.millis());
      return hit == null ? null : hit.hit();
    };
  }

  /** A hit's reply is built once per entry and shared by every request it answers: it is never changed after. */
  private Reply reply(Buffer body, String etag, String cacheState) {
    return Reply.encoded(200, body).header("ETag", etag).header("Cache-Control", cacheControl)
      .header("X-Cache", cacheState);
  }

  /** The version for a detail (it changes with every change), a hash of the bytes for anything else. */
  static String etag(JsonObject json, Buffer body) {
    if (json.getValue("version") instanceof Number n && json.containsKey("id")) {
      return ETags.of(n.longValue());
    }
    return "\"" + Hashes.sha256Hex(body.getBytes(), 12) + "\"";
  }
}
