package io.mediamesh.common.bus;

import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * One operation of a service's bus API, declared once in its {@code common/api} class and used by both sides: the
 * address, who may call it, and how its request is read into a record.
 * <ul>
 *   <li>The service registers it with {@link BusService#handle(Operation, Handler)}: the access it declares is
 *   checked there, and the handler receives the request already read (a 400 naming each bad field otherwise).</li>
 *   <li>The gateway forwards to it (its contract's {@code x-roles} must equal {@link #access()}: checked by each
 *   gateway's contract test) and other services send it with {@link BusClient#send(Operation, Request, Caller)}.</li>
 * </ul>
 *
 * @param <Q> the request record
 */
public final class Operation<Q extends Operation.Request> {

  /** A request record: what travels on the bus is its {@link #toJson()}, read back with the operation's reader. */
  public interface Request {
    JsonObject toJson();
  }

  /** The request of an operation that takes no arguments. */
  public record None() implements Request {
    public static final None INSTANCE = new None();

    public static None from(JsonObject ignored) {
      return INSTANCE;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject();
    }
  }

  /** Answers an operation: the reply (a JsonObject, JsonArray or null) or a failed future (a ServiceException). */
  @FunctionalInterface
  public interface Handler<Q> {
    io.vertx.core.Future<?> handle(Q request, Caller caller);
  }

  private final String service;
  private final String name;
  private final String address;
  private final Access access;
  private final Function<JsonObject, Q> reader;

  private Operation(String service, String name, Access access, Function<JsonObject, Q> reader) {
    this.service = service;
    this.name = name;
    this.address = Addresses.of(service, name);
    this.access = access;
    this.reader = reader;
  }

  /** Operation {@code name} of {@code service}, callable with {@code access}, its request read by {@code reader}. */
  public static <Q extends Request> Operation<Q> of(String service, String name, Access access,
                                                    Function<JsonObject, Q> reader) {
    return new Operation<>(service, name, access, reader);
  }

  public String service() {
    return service;
  }

  /** The operation part of the address ({@code program.get}). */
  public String name() {
    return name;
  }

  /** {@code mediamesh.<service>.<name>}. */
  public String address() {
    return address;
  }

  public Access access() {
    return access;
  }

  /** Reads a request sent as JSON: a {@link ServiceException} (400) naming each bad field when it is not valid. */
  public Q read(JsonObject body) {
    return reader.apply(body == null ? new JsonObject() : body);
  }

  @Override
  public String toString() {
    return address;
  }
}
