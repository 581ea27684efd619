package io.mediamesh.gateway;

import io.mediamesh.common.bus.Caller;
import io.vertx.ext.web.RoutingContext;

/**
 * An operation whose body must not be buffered (uploads): called after the caller and roles were checked and the
 * rate limit spent, with the request still paused and unread. It answers on {@code ctx} or fails it.
 */
@FunctionalInterface
public interface StreamHandler {
  void handle(RoutingContext ctx, Caller caller);
}
