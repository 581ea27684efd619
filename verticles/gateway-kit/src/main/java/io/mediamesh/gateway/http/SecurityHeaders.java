package io.mediamesh.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Response headers every gateway answer carries: no MIME sniffing, no framing, no referrer, a locked-down CSP for
 * JSON (the Swagger UI pages relax it for their own scripts), and no caching unless a route says otherwise.
 */
public final class SecurityHeaders {

  static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";
  public static final String DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

  private SecurityHeaders() {
  }

  public static Handler<RoutingContext> handler() {
    return ctx -> {
      MultiMap h = ctx.response().headers();
      h.set("X-Content-Type-Options", "nosniff");
      h.set("X-Frame-Options", "DENY");
      h.set("Referrer-Policy", "no-referrer");
      h.set("Content-Security-Policy", API_CSP);
      h.set("Cache-Control", "no-store");
      ctx.next();
    };
  }
}
