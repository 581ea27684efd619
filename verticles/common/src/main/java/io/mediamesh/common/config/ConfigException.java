package io.mediamesh.common.config;

/** A configuration that cannot be used; the message names the key or variable at fault. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
