package io.mediamesh.common.runtime;

import io.mediamesh.common.config.PlatformConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * A running set of services in one JVM: one Vertx (clustered or not), one metrics registry, one
 * {@link ServiceVerticle} per service. The launcher runs all of them; a service jar runs its one.
 */
public final class Platform {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  private final Vertx vertx;
  private final Map<String, ServiceVerticle> verticles;
  private final PrometheusMeterRegistry registry;

  private Platform(Vertx vertx, Map<String, ServiceVerticle> verticles, PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.vertx = vertx;
    this.verticles = verticles;
  }

  /** Every {@link ServiceModule} on the classpath, by name, in a stable order. */
  public static Map<String, Supplier<ServiceModule>> discover() {
    Map<String, Supplier<ServiceModule>> found = new LinkedHashMap<>();
    ServiceLoader.load(ServiceModule.class).stream()
      .sorted(java.util.Comparator.comparing(p -> p.type().getName()))
      .forEach(provider -> found.put(provider.get().name(), provider::get));
    return found;
  }

  /** Picks the named modules (all when {@code names} is null), failing on an unknown name. */
  public static List<Supplier<ServiceModule>> select(Map<String, Supplier<ServiceModule>> available,
                                                     List<String> names) {
    if (names == null) {
      return new ArrayList<>(available.values());
    }
    List<Supplier<ServiceModule>> chosen = new ArrayList<>();
    for (String name : names) {
      Supplier<ServiceModule> module = available.get(name);
      if (module == null) {
        throw new IllegalArgumentException("unknown service '" + name + "'; known: " + available.keySet());
      }
      chosen.add(module);
    }
    return chosen;
  }

  public static Future<Platform> start(PlatformConfig config, List<Supplier<ServiceModule>> modules) {
    return start(config, modules, java.time.Clock.systemUTC());
  }

  /**
   * As {@link #start(PlatformConfig, List)}, with every service reading the time from {@code clock}: tests of
   * time-dependent rules (scheduled publication, rentals, schedules, retention) pass a clock they move.
   */
  public static Future<Platform> start(PlatformConfig config, List<Supplier<ServiceModule>> modules,
                                       java.time.Clock clock) {
    PrometheusMeterRegistry registry = VertxFactory.newRegistry();
    return VertxFactory.create(config.cluster(), registry).compose(vertx -> {
      Map<String, ServiceVerticle> verticles = new LinkedHashMap<>();
      List<Future<String>> deployments = new ArrayList<>();
      for (Supplier<ServiceModule> supplier : modules) {
        ServiceModule module = supplier.get();
        ServiceVerticle verticle = new ServiceVerticle(module, config, registry, clock);
        verticles.put(module.name(), verticle);
        deployments.add(vertx.deployVerticle(verticle, new DeploymentOptions()));
      }
      return Future.all(deployments)
        .map(v -> new Platform(vertx, verticles, registry))
        .recover(err -> vertx.close().transform(ignored -> Future.failedFuture(err)));
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The metrics registry every service of this platform writes to (what {@code /metrics} serves). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The port a service actually listens on. */
  public int port(String service) {
    ServiceVerticle v = verticles.get(service);
    if (v == null) {
      throw new IllegalArgumentException("not running here: " + service);
    }
    return v.actualPort();
  }

  /** Events of {@code service} committed and not yet published (see {@link ServiceVerticle#outboxPending()}). */
  public Future<Long> outboxPending(String service) {
    ServiceVerticle v = verticles.get(service);
    if (v == null) {
      throw new IllegalArgumentException("not running here: " + service);
    }
    return v.outboxPending();
  }

  /** Undeploys every service (each stops its consumers, relay and servers) and leaves the cluster. */
  public Future<Void> close() {
    LOG.info("stopping {}", verticles.keySet());
    return vertx.close();
  }
}
