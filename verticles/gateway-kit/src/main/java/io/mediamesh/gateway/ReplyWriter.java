package io.mediamesh.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes a {@link Reply} with conditional-GET support: a GET whose ETag the client already has is a 304. */
final class ReplyWriter {

  private ReplyWriter() {
  }

  static void write(RoutingContext ctx, Reply reply) {
    HttpServerResponse response = ctx.response();
    // replaces defaults of the same name (Cache-Control), keeps the rest (security and rate-limit fields)
    MultiMap out = response.headers();
    reply.headers().forEach((name, value) -> out.remove(name));
    reply.headers().forEach(out::add);
    String etag = reply.headers().get("ETag");
    if (etag != null && ctx.request().method() == HttpMethod.GET && reply.status() == 200
      && ETags.matches(ctx.request().getHeader("If-None-Match"), etag)) {
      response.setStatusCode(304).end();
      return;
    }
    response.setStatusCode(reply.status());
    if (reply.body() == null) {
      response.end();
    } else {
      response.putHeader("Content-Type", reply.contentType()).end(reply.body());
    }
  }
}
