package io.mediamesh.common.bus;

import io.mediamesh.common.observability.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The client side of the bus conventions: sends a request with the caller and a child span of the current trace in
 * the headers, and fails with a {@link ServiceException} decoded from the reply failure.
 */
public final class BusClient {

  private final Vertx vertx;
  private final long timeoutMs;

  public BusClient(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** Sends {@code request} to {@code operation} as {@code caller}. */
  public <Q extends Operation.Request, T> Future<T> send(Operation<Q> operation, Q request, Caller caller) {
    return request(operation.address(), request.toJson(), caller, timeoutMs);
  }

  /**
   * Sends a body as it is (not read into the operation's record first): for callers forwarding a body that the
   * service validates, and for tests sending bad input on purpose.
   */
  public <T> Future<T> request(Operation<?> operation, Object body, Caller caller) {
    return request(operation.address(), body, caller, timeoutMs);
  }

  public <T> Future<T> request(String address, Object body, Caller caller) {
    return request(address, body, caller, timeoutMs);
  }

  public <T> Future<T> request(String address, Object body, Caller caller, long timeout) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    caller.toHeaders(headers);
    RequestContext rc = RequestContext.current();
    if (rc != null) {
      headers.set(BusHeaders.TRACEPARENT, rc.trace().child().header());
      headers.set(BusHeaders.REQUEST_ID, rc.requestId());
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout).setHeaders(headers);
    return vertx.eventBus().<T>request(address, body, options)
      .map(msg -> msg.body())
      .recover(err -> Future.failedFuture(ServiceException.from(err)));
  }
}
