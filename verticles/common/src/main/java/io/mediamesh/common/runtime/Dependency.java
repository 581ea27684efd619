package io.mediamesh.common.runtime;

/** Infrastructure a service uses; the kernel connects it, checks it in {@code /ready}, and closes it. */
public enum Dependency {
  POSTGRES, REDIS, KAFKA
}
