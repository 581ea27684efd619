package io.mediamesh.common.runtime;

import io.mediamesh.common.auth.BusKeySource;
import io.mediamesh.common.auth.TokenConfig;
import io.mediamesh.common.auth.TokenVerifier;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.BusService;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.config.ServiceConfig;
import io.mediamesh.common.events.BatchEventHandler;
import io.mediamesh.common.events.EventHandler;
import io.mediamesh.common.events.IdempotentConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the kernel hands a service at start: connected clients for the dependencies it declared (others are null),
 * its router (mounted on its port after {@code /health}, {@code /ready}, {@code /metrics}), its readiness checks,
 * and factories whose products the kernel closes at stop.
 */
public final class ServiceContext {

  private final Vertx vertx;
  private final PlatformConfig platform;
  private final ServiceConfig service;
  private final Pool pool;
  private final Redis redis;
  private final KafkaProducer<String, Buffer> producer;
  private final HealthChecks readiness;
  private final Router router;
  private final MeterRegistry registry;
  private final BusClient bus;
  private final Clock clock;
  private final List<IdempotentConsumer> consumers = new ArrayList<>();
  private final List<BusService> busServices = new ArrayList<>();
  private TokenVerifier tokens;
  private io.mediamesh.common.auth.Revocations revocations;

  ServiceContext(Vertx vertx, PlatformConfig platform, ServiceConfig service, Pool pool, Redis redis,
                 KafkaProducer<String, Buffer> producer, HealthChecks readiness, Router router,
                 MeterRegistry registry, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.platform = platform;
    this.service = service;
    this.pool = pool;
    this.redis = redis;
    this.producer = producer;
    this.readiness = readiness;
    this.router = router;
    this.registry = registry;
    this.bus = new BusClient(vertx, platform.runtime().busTimeoutMs());
  }

  /**
   * The time, for every rule that depends on it (scheduled publication, token expiry, rentals, schedules,
   * retention): the system clock in production, a clock the test moves in tests. Never {@code Instant.now()}.
   */
  public Clock clock() {
    return clock;
  }

  public Vertx vertx() {
    return vertx;
  }

  public PlatformConfig platform() {
    return platform;
  }

  public ServiceConfig config() {
    return service;
  }

  public Pool pool() {
    return require(pool, Dependency.POSTGRES);
  }

  public Redis redis() {
    return require(redis, Dependency.REDIS);
  }

  public KafkaProducer<String, Buffer> producer() {
    return require(producer, Dependency.KAFKA);
  }

  public HealthChecks readiness() {
    return readiness;
  }

  public Router router() {
    return router;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public BusClient bus() {
    return bus;
  }

  /**
   * Verifies access tokens against the auth service's keys (fetched over the bus, cached, refreshed on an unknown
   * key id). A service may replace it before registering handlers (the auth service verifies with its own keys).
   */
  public TokenVerifier tokens() {
    if (tokens == null) {
      // expiry is judged on the service's clock, the one the issuer signs with: a test moving time moves both
      tokens = new TokenVerifier(vertx, TokenConfig.from(platform.raw()), new BusKeySource(bus), clock, 500)
        .withRevocations(revocations());
    }
    return tokens;
  }

  /**
   * This service's view of per-user token cut-offs, started on first use (a listener on the bus and a poll of the
   * auth service every {@code auth.revocationPollMs}).
   */
  public synchronized io.mediamesh.common.auth.Revocations revocations() {
    if (revocations == null) {
      revocations = new io.mediamesh.common.auth.Revocations(vertx, bus,
        platform.raw().getJsonObject("auth", new io.vertx.core.json.JsonObject()).getLong("revocationPollMs", 30_000L));
      revocations.start();
    }
    return revocations;
  }

  /** Stops what this context started for itself (the cut-off listener). */
  public io.vertx.core.Future<Void> close() {
    return revocations == null ? io.vertx.core.Future.succeededFuture() : revocations.stop();
  }

  public void useTokenVerifier(TokenVerifier verifier) {
    this.tokens = verifier;
  }

  /**
   * Bus handlers at {@code mediamesh.<this service>.<operation>}, each checking the caller's verified token and
   * roles; registered and closed with the service.
   */
  public BusService busService() {
    BusService s = BusService.create(vertx, service.name(), tokens());
    busServices.add(s);
    return s;
  }

  /** An idempotent consumer of this service; started now, stopped with the service. */
  public Future<IdempotentConsumer> consume(String name, Set<String> topics, EventHandler handler) {
    IdempotentConsumer c = IdempotentConsumer.create(vertx, platform.kafka(), platform.runtime(), pool(),
      service.name() + "." + name, topics, handler, registry);
    consumers.add(c);
    return c.start().map(c);
  }

  /** An idempotent consumer applying each polled batch in one transaction; started now, stopped with the service. */
  public Future<IdempotentConsumer> consumeBatches(String name, Set<String> topics, BatchEventHandler handler) {
    IdempotentConsumer c = IdempotentConsumer.batched(vertx, platform.kafka(), platform.runtime(), pool(),
      service.name() + "." + name, topics, handler, registry);
    consumers.add(c);
    return c.start().map(c);
  }

  List<IdempotentConsumer> consumers() {
    return consumers;
  }

  List<BusService> busServices() {
    return busServices;
  }

  private <T> T require(T client, Dependency dependency) {
    if (client == null) {
      throw new IllegalStateException(service.name() + " did not declare " + dependency);
    }
    return client;
  }
}
