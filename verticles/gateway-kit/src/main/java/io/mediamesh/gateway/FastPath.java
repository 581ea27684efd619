package io.mediamesh.gateway;

/**
 * An answer available without the operation's handler, for the value of the operation's one path parameter and the
 * verified caller (see {@link GatewayRouter#handle(String, OperationHandler, FastPath)}); null if none, and the
 * handler answers. It may only answer for values a validated request asked for before, and only what the caller may
 * see (a profile's age limit).
 */
@FunctionalInterface
public interface FastPath {
  Reply probe(String pathParameter, io.mediamesh.common.bus.Caller caller);
}
