package io.mediamesh.common.runtime;

import io.mediamesh.common.config.ConfigException;
import io.mediamesh.common.config.ConfigLoader;
import io.mediamesh.common.config.PlatformConfig;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Main class of every service fat jar: runs the service module(s) found on the classpath, joined to the cluster by
 * default (a service alone is useful only as part of a cluster; {@code --no-cluster} runs it by itself). Infrastructure
 * comes from configuration; it starts none of its own (that is the launcher's job).
 */
public final class ServiceMain {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);

  private ServiceMain() {
  }

  public static void main(String[] args) {
    LaunchOptions options = orExit(() -> LaunchOptions.parse(args));
    JsonObject overlay = new JsonObject().put("cluster", new JsonObject().put("enabled", true));
    ConfigLoader.deepMerge(overlay, options.overlay());
    PlatformConfig config = orExit(() -> PlatformConfig.from(ConfigLoader.load(options.conf(), System.getenv()))
      .with(overlay));
    run(config, orExit(() -> Platform.select(Platform.discover(), options.services())), List.of());
  }

  /** Runs a start-up step; a bad option or configuration ends the process with status 2 and its message. */
  public static <T> T orExit(Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException | ConfigException e) {
      System.err.println("mediamesh: " + e.getMessage());
      System.exit(2);
      return null;
    }
  }

  /**
   * Starts the platform, installs a SIGTERM/SIGINT hook that stops it and then {@code afterStop} (in order), and
   * exits with status 1 if the start fails.
   */
  public static Platform run(PlatformConfig config, List<Supplier<ServiceModule>> modules, List<Runnable> afterStop) {
    long began = System.nanoTime();
    try {
      Platform platform = Platform.start(config, modules).toCompletionStage().toCompletableFuture()
        .get(180, TimeUnit.SECONDS);
      LOG.info("platform started in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          platform.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("platform did not stop cleanly: {}", e.toString());
        }
        afterStop.forEach(Runnable::run);
      }, "mediamesh-shutdown"));
      return platform;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      LOG.error("platform failed to start: {}", cause.getMessage());
      afterStop.forEach(Runnable::run);
      System.exit(1);
      return null;
    }
  }
}
