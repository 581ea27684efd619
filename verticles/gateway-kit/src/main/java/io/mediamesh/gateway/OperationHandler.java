package io.mediamesh.gateway;

import io.vertx.core.Future;

/** One contract operation: takes the checked request, answers (usually by one call to a downstream service). */
@FunctionalInterface
public interface OperationHandler {
  Future<Reply> handle(GatewayRequest request);
}
