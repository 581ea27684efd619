package io.mediamesh.testkit;

import io.mediamesh.common.auth.TokenConfig;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.common.runtime.ServiceModule;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What a service's integration test starts with, in one place: the services under test on a real platform (real
 * PostgreSQL, Redis, Kafka and S3 from {@link TestInfra}), tokens signed by a test key the services trust, callers
 * of each role, and the two ways a test talks to an operation: {@link #call} (must succeed) and {@link #refused}
 * (must fail, answers the coded failure).
 */
public final class ServiceHarness implements AutoCloseable {

  private final PlatformConfig config;
  private final TestTokens tokens;
  private final Platform platform;
  private final BusClient bus;

  private ServiceHarness(PlatformConfig config, TestTokens tokens, Platform platform) {
    this.config = config;
    this.tokens = tokens;
    this.platform = platform;
    this.bus = new BusClient(platform.vertx(), 10_000);
  }

  /** Starts {@code modules} with the test infrastructure's configuration. */
  public static ServiceHarness start(TestInfra infra, List<Supplier<ServiceModule>> modules) {
    return start(infra.platformConfig(), modules, Clock.systemUTC());
  }

  /** Starts {@code modules} with {@code config}, every service reading the time from {@code clock}. */
  public static ServiceHarness start(PlatformConfig config, List<Supplier<ServiceModule>> modules, Clock clock) {
    return start(config, modules, clock, TestTokens.create(TokenConfig.from(config.raw()), clock));
  }

  /**
   * As {@link #start(PlatformConfig, List, Clock)}, trusting {@code tokens}: a test that restarts services, or runs
   * several instances, keeps one signing key so the callers it made stay valid.
   */
  public static ServiceHarness start(PlatformConfig config, List<Supplier<ServiceModule>> modules, Clock clock,
                                     TestTokens tokens) {
    Platform platform = Await.result(Platform.start(config, modules, clock));
    try {
      Await.result(tokens.serveJwks(platform.vertx()));
    } catch (RuntimeException e) {
      Await.result(platform.close());
      throw e;
    }
    return new ServiceHarness(config, tokens, platform);
  }

  public PlatformConfig config() {
    return config;
  }

  public TestTokens tokens() {
    return tokens;
  }

  public Platform platform() {
    return platform;
  }

  public BusClient bus() {
    return bus;
  }

  /** A caller with {@code role} and a user id of its own. */
  public Caller caller(Role role) {
    return tokens.caller(role.name().toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID(), role);
  }

  /** Sends {@code body} to {@code operation} as {@code caller} and answers the reply; fails the test on a failure. */
  public <T> T call(Operation<?> operation, JsonObject body, Caller caller) {
    return Await.result(bus.request(operation, body, caller));
  }

  /** Sends {@code body} to {@code operation} as {@code caller}, which must be refused: answers the coded failure. */
  public ServiceException refused(Operation<?> operation, JsonObject body, Caller caller) {
    Throwable failure = Await.failure(bus.request(operation, body, caller));
    if (!(failure instanceof ServiceException se)) {
      throw new AssertionError(operation + " failed without a coded failure", failure);
    }
    return se;
  }

  @Override
  public void close() {
    Await.result(platform.close());
  }
}
