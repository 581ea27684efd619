package io.mediamesh.gateway;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * The usual thin handler: build the bus request from the checked HTTP request, send it to one address of a
 * downstream service through its breaker with the caller's token, and answer with the reply.
 * Queries are retried (idempotent); commands are not.
 */
public final class Forward implements OperationHandler {

  private final Downstream downstream;
  private final String address;
  private final Operation<?> operation;
  private final boolean idempotent;
  private Function<GatewayRequest, JsonObject> request = r -> new JsonObject();
  private int status = 200;
  private boolean etag;
  private boolean ifMatch;

  private Forward(Downstream downstream, Operation<?> operation, boolean idempotent) {
    this.downstream = downstream;
    this.address = operation.address();
    this.operation = operation;
    this.idempotent = idempotent;
  }

  /** A read: retried with backoff on 5xx. */
  public static Forward query(Downstream downstream, Operation<?> operation) {
    return new Forward(downstream, operation, true);
  }

  /** A change: sent once. */
  public static Forward command(Downstream downstream, Operation<?> operation) {
    return new Forward(downstream, operation, false);
  }

  /** The service operation this route forwards to (its access must be the contract's {@code x-roles}). */
  @Override
  public Operation<?> forwardsTo() {
    return operation;
  }

  public Forward with(Function<GatewayRequest, JsonObject> request) {
    this.request = request;
    return this;
  }

  /** The path parameter {@code id} as the request's {@code id}. */
  public Forward withId() {
    return with(r -> new JsonObject().put("id", r.path("id")));
  }

  /** The body, with the path parameter {@code id} as its {@code id}. */
  public Forward withBodyAndId() {
    return with(r -> r.body().put("id", r.path("id")));
  }

  public Forward status(int status) {
    this.status = status;
    return this;
  }

  /** Answers an ETag of the reply's version. */
  public Forward etag() {
    this.etag = true;
    return this;
  }

  /**
   * Optimistic concurrency: an {@code If-Match} header becomes the request's {@code version} and a stale one is a
   * 412; without the header the body must carry the {@code version} read (a stale one is the service's 409).
   */
  public Forward ifMatch() {
    this.ifMatch = true;
    return this;
  }

  @Override
  public Future<Reply> handle(GatewayRequest req) {
    JsonObject body;
    boolean precondition = false;
    try {
      body = request.apply(req);
      if (ifMatch) {
        String header = req.header("If-Match");
        if (header != null) {
          body.put("version", ETags.versionOf(header));
          precondition = true;
        } else if (!(body.getValue("version") instanceof Number)) {
          throw ServiceException.validation("version", "is required (or send If-Match with the ETag read)");
        }
      }
      // read into the operation's record, as the service will: the same rules on both sides of the bus
      body = operation.read(body).toJson();
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    boolean stalePrecondition = precondition;
    return downstream.<Object>request(address, body, req.caller(), idempotent)
      .map(this::reply)
      .recover(err -> stalePrecondition && err instanceof ServiceException se && se.code() == ErrorCode.CONFLICT
        && se.details() != null && se.details().containsKey("currentVersion")
        ? Future.failedFuture(new ServiceException(ErrorCode.PRECONDITION_FAILED,
          "If-Match is stale: " + se.getMessage(), se.details()))
        : Future.failedFuture(err));
  }

  private Reply reply(Object result) {
    if (status == 204) {
      return Reply.noContent();
    }
    JsonObject json = result instanceof JsonObject o ? o : new JsonObject();
    Reply reply = Reply.json(status, json);
    return etag ? reply.etagOfVersion(json) : reply;
  }
}
