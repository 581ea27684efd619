package io.mediamesh.gateway;

import io.vertx.ext.web.RoutingContext;

/** An answer available before the body is read and validated (see {@link GatewayRouter#handle}); null if none. */
@FunctionalInterface
public interface FastPath {
  Reply probe(RoutingContext ctx);
}
