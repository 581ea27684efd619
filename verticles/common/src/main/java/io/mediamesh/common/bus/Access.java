package io.mediamesh.common.bus;

import java.util.EnumSet;
import java.util.Set;

/** Who may call an operation: anyone, any authenticated caller, or callers holding one of some roles. */
public record Access(boolean anonymousAllowed, Set<Role> roles) {

  public static Access anyone() {
    return new Access(true, Set.of());
  }

  public static Access authenticated() {
    return new Access(false, Set.of());
  }

  public static Access roles(Role first, Role... more) {
    return new Access(false, EnumSet.of(first, more));
  }

  /** Fails with 401 for an anonymous caller where a user is needed, 403 for a user without a required role. */
  public void check(Caller caller) {
    if (anonymousAllowed) {
      return;
    }
    if (!caller.authenticated()) {
      throw ServiceException.unauthenticated("authentication required");
    }
    if (!roles.isEmpty() && !caller.hasAny(roles)) {
      throw ServiceException.forbidden("requires role " + String.join(" or ", roles.stream().map(Enum::name).toList()));
    }
  }
}
