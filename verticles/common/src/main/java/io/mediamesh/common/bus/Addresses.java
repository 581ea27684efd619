package io.mediamesh.common.bus;

import java.util.regex.Pattern;

/**
 * Event-bus address naming: {@code mediamesh.<service>.<operation>}, e.g. {@code mediamesh.cms.program.create}.
 * Each service also answers {@code mediamesh.<service>.ready} with its readiness, which gateways aggregate.
 */
public final class Addresses {

  private static final Pattern PART = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

  private Addresses() {
  }

  public static String of(String service, String operation) {
    if (!PART.matcher(service).matches() || !PART.matcher(operation).matches()) {
      throw new IllegalArgumentException("bad address part: " + service + " / " + operation);
    }
    return "mediamesh." + service + "." + operation;
  }

  /**
   * The operation part of one of {@code service}'s addresses: {@code mediamesh.cms.program.get} gives
   * {@code program.get}.
   */
  public static String operation(String service, String address) {
    String prefix = "mediamesh." + service + ".";
    if (!address.startsWith(prefix)) {
      throw new IllegalArgumentException(address + " is not an address of " + service);
    }
    return address.substring(prefix.length());
  }

  public static String ready(String service) {
    return of(service, "ready");
  }
}
