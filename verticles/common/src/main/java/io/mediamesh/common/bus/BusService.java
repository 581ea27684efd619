package io.mediamesh.common.bus;

import io.mediamesh.common.auth.TokenVerifier;
import io.mediamesh.common.observability.RequestContext;
import io.mediamesh.common.observability.TraceContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The server side of the bus conventions for one service: registers a consumer per operation at
 * {@code mediamesh.<service>.<operation>}, restores the caller and trace from the headers, checks access before the
 * handler runs (defence in depth: the gateway checked too), and turns every failure into a coded reply. Unexpected
 * failures are logged with their stack here and reach the caller only as "internal error".
 */
public final class BusService {

  private static final Logger LOG = LoggerFactory.getLogger(BusService.class);

  private final Vertx vertx;
  private final String service;
  private final TokenVerifier verifier;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  private BusService(Vertx vertx, String service, TokenVerifier verifier) {
    this.vertx = vertx;
    this.service = service;
    this.verifier = verifier;
  }

  /** Trusts the caller headers as sent: only for tests and for operations open to anyone. */
  public static BusService create(Vertx vertx, String service) {
    return new BusService(vertx, service, null);
  }

  /**
   * Establishes the caller from the access token in the {@code authorization} header, verified here (no token:
   * anonymous; a bad token: 401), so a service never trusts a caller that skipped the gateway.
   */
  public static BusService create(Vertx vertx, String service, TokenVerifier verifier) {
    return new BusService(vertx, service, verifier);
  }

  public BusService handle(String operation, Access access, BusHandler handler) {
    String address = Addresses.of(service, operation);
    consumers.add(vertx.eventBus().consumer(address, msg -> dispatch(msg, access, handler)));
    return this;
  }

  /**
   * Registers {@code operation} of this service: the access it declares is checked, its request is read (400 naming
   * each bad field), then {@code handler} answers.
   */
  public <Q extends Operation.Request> BusService handle(Operation<Q> operation, Operation.Handler<Q> handler) {
    if (!operation.service().equals(service)) {
      throw new IllegalArgumentException(operation + " is not an operation of " + service);
    }
    return handle(operation.name(), operation.access(),
      req -> handler.handle(operation.read(req.body()), req.caller()));
  }

  /** Completes when every consumer is registered (cluster-wide when clustered). */
  public Future<Void> registered() {
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> close() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void dispatch(Message<Object> msg, Access access, BusHandler handler) {
    String requestId = msg.headers().get(BusHeaders.REQUEST_ID);
    RequestContext.set(new RequestContext(TraceContext.parseOrRoot(msg.headers().get(BusHeaders.TRACEPARENT)),
      requestId != null ? requestId : UUID.randomUUID().toString()));
    Future<?> result = caller(msg).compose(caller -> {
      access.check(caller);
      return handler.handle(new BusRequest(body(msg.body()), caller, msg.headers()));
    });
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        ServiceException se = ServiceException.from(ar.cause());
        if (se.code() == ErrorCode.INTERNAL && !(ar.cause() instanceof ServiceException)) {
          LOG.error("{} failed", msg.address(), ar.cause());
        }
        msg.reply(se.toReplyException());
      }
    });
  }

  private Future<Caller> caller(Message<Object> msg) {
    if (verifier == null) {
      return Future.succeededFuture(Caller.fromHeaders(msg.headers()));
    }
    String authorization = msg.headers().get(BusHeaders.AUTHORIZATION);
    return authorization == null ? Future.succeededFuture(Caller.anonymous()) : verifier.verifyBearer(authorization);
  }

  private static JsonObject body(Object raw) {
    if (raw == null) {
      return new JsonObject();
    }
    if (raw instanceof JsonObject o) {
      return o;
    }
    throw new ServiceException(ErrorCode.VALIDATION, "request body must be a JSON object");
  }
}
