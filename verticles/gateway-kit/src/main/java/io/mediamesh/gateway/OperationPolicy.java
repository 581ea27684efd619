package io.mediamesh.gateway;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.openapi.contract.Operation;

import java.util.EnumSet;

/**
 * What the contract declares about one operation, read once when its route is registered: who may call it
 * ({@code x-roles}, as the kernel's {@link Access}), its rate-limit class ({@code x-rate-limit}, see
 * {@link RatePolicies}; null for none) and the service operation it forwards to ({@code x-bus}; null for none).
 */
record OperationPolicy(String operationId, Access access, String rateLimit, String bus) {

  /** Reads an operation's policy; an operation without {@code x-roles}, or with a role the kernel lacks, fails. */
  static OperationPolicy of(Operation op) {
    Object roles = op.getExtensions().get("x-roles");
    if (!(roles instanceof JsonArray list) || list.isEmpty()) {
      throw new IllegalStateException("operation " + op.getOperationId() + " declares no x-roles");
    }
    Access access;
    if (list.contains("anonymous")) {
      access = Access.anyone();
    } else if (list.contains("authenticated")) {
      access = Access.authenticated();
    } else {
      EnumSet<Role> set = EnumSet.noneOf(Role.class);
      for (Object r : list) {
        set.add(Role.parse(String.valueOf(r)).orElseThrow(() -> new IllegalStateException(
          "operation " + op.getOperationId() + ": unknown role in x-roles: " + r)));
      }
      access = new Access(false, set);
    }
    Object rate = op.getExtensions().get("x-rate-limit");
    Object bus = op.getExtensions().get("x-bus");
    return new OperationPolicy(op.getOperationId(), access, rate == null ? null : String.valueOf(rate),
      bus == null ? null : String.valueOf(bus));
  }

  /**
   * Fails when a route forwards to another service operation than its {@code x-bus} names (the roles of the contract
   * are checked against the {@code x-bus} operation's access, so the route must really go there).
   */
  void checkForwardsTo(io.mediamesh.common.bus.Operation<?> target) {
    if (bus != null && !bus.equals(target.address())) {
      throw new IllegalStateException("operation " + operationId + " forwards to " + target.address()
        + " but its x-bus names " + bus);
    }
  }
}
