package io.mediamesh.common.runtime;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.BusService;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.config.ServiceConfig;
import io.mediamesh.common.db.Databases;
import io.mediamesh.common.events.IdempotentConsumer;
import io.mediamesh.common.events.KafkaClients;
import io.mediamesh.common.events.OutboxRelay;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.http.EdgeHandlers;
import io.mediamesh.common.http.HttpEdge;
import io.mediamesh.common.http.OpsRoutes;
import io.mediamesh.common.observability.RequestContext;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The plumbing every service shares, composed around a {@link ServiceModule}: in {@code start()} it opens the
 * declared dependencies (database created and migrated, Redis, Kafka with its topics and the outbox relay), lets
 * the module register its domain, answers {@code mediamesh.<service>.ready} on the bus, and listens on the
 * service's port with {@code /health}, {@code /ready} and {@code /metrics}. Any step failing fails the deployment.
 */
public final class ServiceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceVerticle.class);

  private final ServiceModule module;
  private final PlatformConfig platform;
  private final PrometheusMeterRegistry registry;
  private final java.time.Clock clock;

  private ServiceConfig config;
  private Pool pool;
  private Redis redis;
  private KafkaProducer<String, Buffer> producer;
  private KafkaAdminClient kafkaAdmin;
  private OutboxRelay relay;
  private ServiceContext serviceContext;
  private BusService readyService;
  private HttpServer server;
  private long edgeSweep = -1;

  public ServiceVerticle(ServiceModule module, PlatformConfig platform, PrometheusMeterRegistry registry) {
    this(module, platform, registry, java.time.Clock.systemUTC());
  }

  /** With the clock every time-dependent rule of the service reads ({@link ServiceContext#clock()}). */
  public ServiceVerticle(ServiceModule module, PlatformConfig platform, PrometheusMeterRegistry registry,
                         java.time.Clock clock) {
    this.module = module;
    this.platform = platform;
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Events committed to this service's outbox and not yet published (0 for a service without one). Zero means every
   * event of every change committed so far is on its topic: what a test waits for before reading a topic to its end.
   */
  public Future<Long> outboxPending() {
    if (relay == null || pool == null) {
      return Future.succeededFuture(0L);
    }
    return pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").execute()
      .map(rows -> rows.iterator().next().getLong(0));
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> start() {
    long began = System.nanoTime();
    RequestContext.bindService(context, module.name());
    config = platform.service(module.name());
    Set<Dependency> deps = module.dependencies();
    HealthChecks readiness = HealthChecks.create(vertx);
    HealthChecks liveness = HealthChecks.create(vertx).register("alive", p -> p.complete(Status.OK()));

    java.util.concurrent.atomic.AtomicReference<String> opsToken = new java.util.concurrent.atomic.AtomicReference<>();
    Future<Void> ready = vertx.executeBlocking(() -> OpsRoutes.token(platform.raw()), false)
      .map(token -> {
        opsToken.set(token);
        return null;
      });
    if (deps.contains(Dependency.POSTGRES)) {
      if (config.database() == null) {
        return Future.failedFuture("services." + module.name() + ".database is not configured");
      }
      ready = ready.compose(v -> Databases.open(vertx, platform.pg(), config.database(), module.name(),
        module.sharedSchemas()))
        .map(p -> {
          pool = p;
          Readiness.database(readiness, p);
          return null;
        });
    }
    if (deps.contains(Dependency.REDIS)) {
      ready = ready.compose(v -> {
        redis = Redis.createClient(vertx, platform.redis().options());
        Readiness.redis(readiness, redis);
        return redis.connect().map(conn -> {
          conn.close();
          return null;
        });
      });
    }
    if (deps.contains(Dependency.KAFKA)) {
      ready = ready.compose(v -> startKafka(readiness));
    }
    Router router = Router.router(vertx);
    router.route().handler(EdgeHandlers.trace());
    OpsRoutes.mount(router, liveness, readiness, registry, opsToken::get);
    // no global BodyHandler: routes that stream (uploads) must see the raw request; others add one themselves

    return ready
      .compose(v -> {
        serviceContext = new ServiceContext(vertx, platform, config, pool, redis, producer, readiness, router,
          registry, clock);
        return module.start(serviceContext);
      })
      .compose(v -> Future.all(serviceContext.busServices().stream().map(BusService::registered).toList()))
      .compose(v -> {
        readyService = BusService.create(vertx, module.name())
          .handle("ready", Access.anyone(), req -> Readiness.summary(readiness));
        return readyService.registered();
      })
      .compose(v -> {
        router.route().failureHandler(EdgeHandlers.failure());
        router.route().last().handler(ctx -> ctx.fail(404));
        HttpEdge.Settings edge = HttpEdge.Settings.from(platform.raw(), module.name());
        HttpServer created = vertx.createHttpServer(edge.options(config.port()));
        edgeSweep = HttpEdge.install(vertx, created, edge, router);
        return created.listen();
      })
      .onSuccess(s -> {
        server = s;
        LOG.info("{} started on port {} in {} ms", module.name(), s.actualPort(),
          (System.nanoTime() - began) / 1_000_000);
      })
      .onFailure(err -> LOG.error("{} failed to start: {}", module.name(), err.getMessage()));
  }

  private Future<Void> startKafka(HealthChecks readiness) {
    if (!platform.kafka().configured()) {
      return Future.failedFuture("kafka.bootstrapServers is not configured (MEDIAMESH_KAFKA_BOOTSTRAP_SERVERS)");
    }
    kafkaAdmin = Readiness.kafka(vertx, readiness, platform.kafka());
    producer = KafkaProducer.create(vertx, KafkaClients.producer(platform.kafka(), module.name()));
    Future<Void> topics = KafkaClients.ensureTopics(vertx, platform.kafka(),
      Topics.withDeadLetters(module.topics()));
    if (pool == null) {
      return topics;
    }
    relay = new OutboxRelay(vertx, pool, platform.pg().connectOptions(config.database()), producer,
      platform.runtime().outboxBatchSize(), platform.runtime().outboxPollIntervalMs(), registry, module.name());
    return topics.compose(v -> relay.start());
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> steps = new ArrayList<>();
    vertx.cancelTimer(edgeSweep);
    Future<Void> first = server == null ? Future.succeededFuture() : server.close();
    return first
      .compose(v -> readyService == null ? Future.succeededFuture() : readyService.close())
      .compose(v -> serviceContext == null ? Future.succeededFuture()
        : Future.all(serviceContext.busServices().stream().map(BusService::close).toList()))
      .compose(v -> module.stop())
      .compose(v -> serviceContext == null ? Future.succeededFuture() : serviceContext.close())
      .compose(v -> serviceContext == null ? Future.succeededFuture()
        : Future.all(serviceContext.consumers().stream().map(IdempotentConsumer::stop).toList()))
      .compose(v -> relay == null ? Future.succeededFuture() : relay.stop())
      .eventually(() -> {
        if (producer != null) {
          steps.add(producer.close());
        }
        if (kafkaAdmin != null) {
          steps.add(kafkaAdmin.close());
        }
        if (redis != null) {
          redis.close();
        }
        if (pool != null) {
          steps.add(pool.close());
        }
        return Future.join(steps);
      })
      .onComplete(ar -> LOG.info("{} stopped", module.name()));
  }
}
