package io.mediamesh.common.runtime;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * A pass of background work (a job runner looking for due jobs, say) that never runs twice at once: asked while it
 * runs, it runs once more when it ends, however often it was asked. Call it on one context.
 */
public final class SerialPass {

  private static final Logger LOG = LoggerFactory.getLogger(SerialPass.class);

  private final String name;
  private final Supplier<Future<?>> pass;
  private boolean running;
  private boolean again;
  private boolean stopped;

  public SerialPass(String name, Supplier<Future<?>> pass) {
    this.name = name;
    this.pass = pass;
  }

  public void run() {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    pass.get().onComplete(ar -> {
      running = false;
      if (ar.failed()) {
        LOG.warn("{} pass failed: {}", name, ar.cause().getMessage());
      }
      if (again) {
        again = false;
        run();
      }
    });
  }

  /** No more passes (one running ends as it will). */
  public void stop() {
    stopped = true;
  }
}
