package io.mediamesh.gateway;

/**
 * An answer available without the operation's handler, for the value of the operation's one path parameter (see
 * {@link GatewayRouter#handle(String, OperationHandler, FastPath)}); null if none. It may only answer for values a
 * validated request asked for before.
 */
@FunctionalInterface
public interface FastPath {
  Reply probe(String pathParameter);
}
