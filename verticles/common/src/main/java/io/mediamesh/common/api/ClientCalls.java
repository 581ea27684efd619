package io.mediamesh.common.api;

import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;

/** What the typed clients share: a 404 read as "absent", and an update sent at the version stored now. */
final class ClientCalls {

  private ClientCalls() {
  }

  /** The reply, or empty when the service answered 404; any other failure as it came. */
  static <T> Future<Optional<T>> absentIfNotFound(Future<T> request) {
    return request.map(Optional::of).recover(err -> is(err, ErrorCode.NOT_FOUND)
      ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(err));
  }

  /**
   * Reads the resource's current version with {@code get} and sends {@code update} at it; if an editor saved in
   * between (a 409 with {@code currentVersion}), reads and sends once more, so a background writer does not fail on
   * an ordinary race (and does not overwrite blindly either: a second race fails).
   */
  static <Q extends Operation.Request> Future<JsonObject> atCurrentVersion(BusClient bus, Caller caller,
                                                                          Operation<ById> get, Operation<Q> update,
                                                                          UUID id, IntFunction<Q> atVersion) {
    return atCurrentVersion(bus, caller, get, update, id, atVersion, true);
  }

  private static <Q extends Operation.Request> Future<JsonObject> atCurrentVersion(
    BusClient bus, Caller caller, Operation<ById> get, Operation<Q> update, UUID id, IntFunction<Q> atVersion,
    boolean again) {
    return bus.<ById, JsonObject>send(get, new ById(id), caller)
      .compose(current -> bus.<Q, JsonObject>send(update, atVersion.apply(current.getInteger("version")), caller))
      .recover(err -> again && err instanceof ServiceException se && se.code() == ErrorCode.CONFLICT
        && se.details() != null && se.details().containsKey("currentVersion")
        ? atCurrentVersion(bus, caller, get, update, id, atVersion, false) : Future.failedFuture(err));
  }

  static boolean is(Throwable err, ErrorCode code) {
    return err instanceof ServiceException se && se.code() == code;
  }
}
