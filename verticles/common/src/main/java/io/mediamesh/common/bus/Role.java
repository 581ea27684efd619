package io.mediamesh.common.bus;

import java.util.Locale;
import java.util.Optional;

public enum Role {
  ADMIN, EDITOR, USER;

  public static Optional<Role> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
