package io.mediamesh.gateway;

import io.vertx.core.Future;

/** One contract operation: takes the checked request, answers (usually by one call to a downstream service). */
@FunctionalInterface
public interface OperationHandler {
  Future<Reply> handle(GatewayRequest request);

  /**
   * The service operation this handler forwards to, if it is one call to one (null otherwise): the router refuses to
   * mount it under a contract operation whose {@code x-bus} names another.
   */
  default io.mediamesh.common.bus.Operation<?> forwardsTo() {
    return null;
  }
}
