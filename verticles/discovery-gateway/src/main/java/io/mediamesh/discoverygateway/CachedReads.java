package io.mediamesh.discoverygateway;

import io.mediamesh.common.api.AgeRatings;
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
import java.util.function.Predicate;

/**
 * Public reads through the {@link ResponseCache}: a fresh near-cached answer is written as it is (no downstream
 * call, no JSON work); a miss asks the downstream service through its breaker (one call per key at a time, shared by
 * the requests that miss together) and caches the encoded answer; when the call fails for the service's reasons
 * (open breaker, 5xx, timeout) the last good answer is served with {@code X-Cache: STALE}, else the failure (a 503
 * with Retry-After). Every answer carries an ETag (of the version for details, of the bytes for lists) and
 * {@code Cache-Control: public, max-age} for CDNs.
 */
final class CachedReads {

  /** What separates a list key from its age tier. */
  static final String TIER = "|t=";

  private final ResponseCache cache;
  private final String cacheControl;
  private final String privateCacheControl;
  private final Clock clock;

  CachedReads(ResponseCache cache, long maxAgeSeconds, Clock clock) {
    this.cache = cache;
    this.cacheControl = "public, max-age=" + maxAgeSeconds;
    this.privateCacheControl = "private, max-age=" + maxAgeSeconds;
    this.clock = clock;
  }

  /**
   * How one list operation reads (lists, ranked lists, search): its key, its bus request (read through the
   * operation's record, as the service will read it), and how long its answers stay fresh. Answers differ by age
   * tier (a profile's limit, {@link AgeRatings#tier}), so the tier ends the key: a limited profile is never answered
   * from an entry of another tier, and its miss asks with its own token, whose limit the service applies.
   */
  OperationHandler read(Downstream downstream, Operation<?> operation, Function<GatewayRequest, String> key,
                        Function<GatewayRequest, JsonObject> request, long ttlMs) {
    return handler(operation, req -> {
      Integer limit = req.caller().ageLimit();
      return cachedRead(downstream, operation, key.apply(req) + TIER + AgeRatings.tier(limit), request.apply(req),
        ttlMs, req.caller(), limit == null ? Caller.anonymous() : req.caller(), e -> true, null);
    });
  }

  /**
   * How one detail reads: as {@link #read}, but one entry serves every tier (its key is the service's name for the
   * detail, which invalidations drop), and a caller whose limit the detail's {@code ageRating} exceeds (or who has a
   * limit, when it is unrated) is told it is not found ({@code what}), as the service would.
   */
  OperationHandler detail(Downstream downstream, Operation<?> operation, Function<GatewayRequest, String> key,
                          Function<GatewayRequest, JsonObject> request, long ttlMs, String what) {
    return handler(operation, req -> {
      Integer limit = req.caller().ageLimit();
      return cachedRead(downstream, operation, key.apply(req), request.apply(req), ttlMs, req.caller(),
        Caller.anonymous(), e -> AgeRatings.allows(limit, e.ageRating()), what);
    });
  }

  private static OperationHandler handler(Operation<?> operation, Function<GatewayRequest, Future<Reply>> handle) {
    return new OperationHandler() {
      @Override
      public Operation<?> forwardsTo() {
        return operation;
      }

      @Override
      public Future<Reply> handle(GatewayRequest req) {
        return handle.apply(req);
      }
    };
  }

  private Future<Reply> cachedRead(Downstream downstream, Operation<?> operation, String k, JsonObject request,
                                   long ttlMs, Caller caller, Caller fetchAs, Predicate<ResponseCache.Entry> visible,
                                   String what) {
    long now = clock.millis();
    ResponseCache.Entry hit = cache.fresh(k, now);
    if (hit != null) {
      return visible.test(hit) ? Future.succeededFuture(hit(hit, caller))
        : Future.failedFuture(ServiceException.notFound(what));
    }
    // a popular search whose entry just expired costs one query, not one per waiting client
    return cache.load(k, () -> fetch(downstream, operation, request, fetchAs, now + ttlMs))
      .compose(e -> visible.test(e) ? Future.succeededFuture(reply(e.body(), e.etag(), "MISS", caller))
        : Future.failedFuture(ServiceException.notFound(what)))
      .recover(err -> {
        ServiceException se = ServiceException.from(err);
        if (se.code().isClientError()) {
          return Future.failedFuture(se);
        }
        return cache.stale(k).compose(stale -> {
          if (stale == null) {
            return Future.failedFuture(se.code() == ErrorCode.INTERNAL ? se : downstream.unavailable());
          }
          if (!visible.test(stale)) {
            return Future.failedFuture(ServiceException.notFound(what));
          }
          return Future.succeededFuture(reply(stale.body(), stale.etag(), "STALE", caller)
            .header("Cache-Control", caller.authenticated() ? "private, max-age=0" : "public, max-age=0"));
        });
      });
  }

  /**
   * One downstream call, anonymous (one answer fits all) or, for a tier with a limit, as the caller (the service
   * applies the limit of the token; the answer fits the tier).
   */
  private Future<ResponseCache.Entry> fetch(Downstream downstream, Operation<?> operation, JsonObject request,
                                            Caller as, long expiresAt) {
    return downstream.<JsonObject>request(operation, operation.read(request).toJson(), as, true)
      .map(json -> {
        Buffer body = json.toBuffer();
        String etag = etag(json, body);
        Object rating = json.getValue("ageRating");
        return new ResponseCache.Entry(body, etag, expiresAt, reply(body, etag, "HIT", Caller.anonymous()),
          rating instanceof Number n ? n.intValue() : null);
      });
  }

  /**
   * A fresh near-cached detail for the raw path parameter {@code id}, before validation: entries exist only for ids
   * a validated request asked for, so an id that does not validate can never hit; one the caller's age limit does
   * not allow is left to the handler (which answers 404).
   */
  FastPath detail(Function<String, String> key) {
    return (id, caller) -> {
      ResponseCache.Entry hit = id == null ? null : cache.peek(key.apply(id), clock.millis());
      return hit == null || !AgeRatings.allows(caller.ageLimit(), hit.ageRating()) ? null : hit(hit, caller);
    };
  }

  /**
   * A hit's reply: for anonymous callers the entry's own, built once and shared by every request it answers (never
   * changed after); for a caller with a token one of its own, private.
   */
  private Reply hit(ResponseCache.Entry entry, Caller caller) {
    return caller.authenticated() ? reply(entry.body(), entry.etag(), "HIT", caller) : entry.hit();
  }

  /**
   * An answer with its cache fields. What a token sees may differ by its profile's age limit, so the answer varies
   * with {@code Authorization}, and an answer to a token is {@code private}: no browser or CDN serves one caller's
   * answer to another (a parent's list to the kids' profile on the same device).
   */
  private Reply reply(Buffer body, String etag, String cacheState, Caller caller) {
    return Reply.encoded(200, body).header("ETag", etag)
      .header("Cache-Control", caller.authenticated() ? privateCacheControl : cacheControl)
      .header("Vary", "Authorization").header("X-Cache", cacheState);
  }

  /** The version for a detail (it changes with every change), a hash of the bytes for anything else. */
  static String etag(JsonObject json, Buffer body) {
    if (json.getValue("version") instanceof Number n && json.containsKey("id")) {
      return ETags.of(n.longValue());
    }
    return "\"" + Hashes.sha256Hex(body.getBytes(), 12) + "\"";
  }
}
