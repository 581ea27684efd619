package io.mediamesh.testkit;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Addresses;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service deployed through the kernel against real PostgreSQL, Redis and Kafka: its database is created and
 * migrated, {@code /ready} checks every dependency, a bus command writes through the outbox and its event reaches
 * Kafka, and a dead dependency fails the deployment.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServicePlatformIT {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Platform platform;
  private String topic;
  private TestTokens tokens;
  private PlatformConfig platformConfig;

  /** A small service: one command that records a row and its event in one transaction. */
  final class ProbeModule implements ServiceModule {
    @Override
    public String name() {
      return "probe";
    }

    @Override
    public Set<Dependency> dependencies() {
      return EnumSet.allOf(Dependency.class);
    }

    @Override
    public List<String> topics() {
      return List.of(topic);
    }

    @Override
    public Future<Void> start(ServiceContext ctx) {
      ctx.busService().handle("note", Access.authenticated(), req -> ctx.pool().withTransaction(tx -> {
        String id = req.body().getString("id");
        EventEnvelope event = EventEnvelope.create("probe.noted", "probe", id,
          new JsonObject().put("id", id).put("by", req.caller().userId()).put("version", 1));
        return tx.preparedQuery("INSERT INTO notes (id) VALUES ($1)").execute(io.vertx.sqlclient.Tuple.of(id))
          .compose(v -> Outbox.append(tx, topic, event))
          .map(v -> new JsonObject().put("eventId", event.id().toString()));
      }));
      return ctx.pool().query("CREATE TABLE IF NOT EXISTS notes (id TEXT PRIMARY KEY)").execute().mapEmpty();
    }
  }

  private PlatformConfig config(TestInfra infra, JsonObject extra) {
    JsonObject overlay = new JsonObject().put("services", new JsonObject()
      .put("probe", new JsonObject().put("port", 0).put("database", infra.database("probe_db"))));
    return infra.platformConfig(io.mediamesh.common.config.ConfigLoader.deepMerge(overlay, extra));
  }

  @BeforeAll
  void start(TestInfra infra) {
    topic = infra.topic("probe.events");
    PlatformConfig config = config(infra, new JsonObject());
    platformConfig = config;
    tokens = TestTokens.create(io.mediamesh.common.auth.TokenConfig.from(config.raw()));
    platform = Await.result(Platform.start(config, List.of(ProbeModule::new)));
    Await.result(tokens.serveJwks(platform.vertx()));
  }

  @AfterAll
  void stop() {
    Await.result(platform.close());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.port("probe") + path))
      .header("Authorization", "Bearer " + TestInfra.OPS_TOKEN).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> anonymous(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.port("probe") + path))
      .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAndReadinessDetailsAreForOperatorsOnly() throws Exception {
    HttpResponse<String> metrics = anonymous("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(metrics.body()).getJsonObject("error").getString("code")).isEqualTo("unauthenticated");
    HttpResponse<String> ready = anonymous("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body())).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(anonymous("/health").statusCode()).isEqualTo(200);
    HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
      + platform.port("probe") + "/metrics")).header("Authorization", "Bearer " + TestInfra.OPS_TOKEN + "x")
      .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
  }

  @Test
  void readyReportsEveryDependencyUp() throws Exception {
    HttpResponse<String> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonArray checks = new JsonObject(ready.body()).getJsonArray("checks");
    assertThat(checks.stream().map(c -> ((JsonObject) c).getString("id")))
      .containsExactlyInAnyOrder("database", "redis", "kafka");
    assertThat(checks.stream().map(c -> ((JsonObject) c).getString("status"))).containsOnly("UP");
    assertThat(get("/health").statusCode()).isEqualTo(200);
    JsonObject overBus = Await.result(new io.mediamesh.common.bus.BusClient(platform.vertx(), 5_000)
      .request(Addresses.ready("probe"), new JsonObject(), Caller.anonymous()));
    assertThat(overBus.getString("status")).isEqualTo("UP");
  }

  @Test
  void metricsAreExportedForPrometheus() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("vertx_http_server").contains("mediamesh_outbox_published")
      .contains("jvm_memory_used_bytes");
  }

  @Test
  void unknownRouteAnswersTheErrorShape() throws Exception {
    HttpResponse<String> r = get("/api/v1/nothing-here");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("not_found");
    assertThat(r.headers().firstValue("traceparent")).isPresent();
  }

  @Test
  void aCommandsEventReachesKafkaThroughTheOutbox(TestInfra infra) {
    io.mediamesh.common.bus.BusClient bus = new io.mediamesh.common.bus.BusClient(platform.vertx(), 5_000);
    try (TopicReader reader = new TopicReader(infra.kafka().bootstrapServers(), topic)) {
      JsonObject reply = Await.result(bus.request(Addresses.of("probe", "note"), new JsonObject().put("id", "n1"),
        tokens.caller("editor-1", io.mediamesh.common.bus.Role.EDITOR)));
      // the topic is read from its start, and the other outbox test may have written to it first
      Await.until("the event reaches Kafka", Duration.ofSeconds(10),
        () -> reader.poll().stream().anyMatch(r -> "n1".equals(r.key())));
      List<ConsumerRecord<String, byte[]>> records = reader.poll().stream().filter(r -> "n1".equals(r.key()))
        .toList();
      assertThat(records).hasSize(1);
      EventEnvelope event = EventEnvelope.decode(io.vertx.core.buffer.Buffer.buffer(records.get(0).value()));
      assertThat(event.id().toString()).isEqualTo(reply.getString("eventId"));
      assertThat(event.data().getString("by")).isEqualTo("editor-1");
    }
  }

  @Test
  void anEventKafkaCanNeverTakeIsSetAsideAndTheNextOnesFlow(TestInfra infra) {
    io.mediamesh.common.bus.BusClient bus = new io.mediamesh.common.bus.BusClient(platform.vertx(), 5_000);
    io.vertx.sqlclient.Pool pool = io.mediamesh.common.db.Databases.pool(platform.vertx(), platformConfig.pg(),
      platformConfig.service("probe").database());
    try (TopicReader reader = new TopicReader(infra.kafka().bootstrapServers(), topic)) {
      // twice the producer's largest request: Kafka refuses it for good
      Await.result(pool.preparedQuery("INSERT INTO outbox (event_id, topic, event_key, event_type, payload) "
        + "VALUES (gen_random_uuid(), $1, 'too-big', 'probe.noted', repeat('x', 2100000))").execute(
        io.vertx.sqlclient.Tuple.of(topic)));
      Await.result(bus.request(Addresses.of("probe", "note"), new JsonObject().put("id", "after-too-big"),
        tokens.caller("editor-1", io.mediamesh.common.bus.Role.EDITOR)));
      // the topic is read from its start: wait for the event after the refused one, then check what came
      Await.until("the next event reaches Kafka", Duration.ofSeconds(10),
        () -> reader.poll().stream().anyMatch(r -> "after-too-big".equals(r.key())));
      assertThat(reader.poll()).extracting(ConsumerRecord::key).doesNotContain("too-big");
      Await.until("the row is set aside", Duration.ofSeconds(10), () -> {
        io.vertx.sqlclient.Row row = Await.result(pool.query("SELECT dead_at IS NOT NULL AS aside, last_error, "
          + "published_at FROM outbox WHERE event_key = 'too-big'").execute()).iterator().next();
        return row.getBoolean("aside") && row.getString("last_error").contains("RecordTooLargeException")
          && row.getValue("published_at") == null;
      });
    } finally {
      Await.result(pool.close());
    }
  }

  @Test
  void theServiceTrustsTheVerifiedTokenNotTheCallerHeaders() {
    io.mediamesh.common.bus.BusClient bus = new io.mediamesh.common.bus.BusClient(platform.vertx(), 5_000);
    // claims to be an editor in the headers, but carries no token: anonymous to the service
    Throwable forged = Await.failure(bus.request(Addresses.of("probe", "note"), new JsonObject().put("id", "n2"),
      Caller.of("editor-1", io.mediamesh.common.bus.Role.EDITOR)));
    assertThat(((io.mediamesh.common.bus.ServiceException) forged).code())
      .isEqualTo(io.mediamesh.common.bus.ErrorCode.UNAUTHENTICATED);
    io.vertx.core.json.JsonObject note = new JsonObject().put("id", "n3");
    io.vertx.core.eventbus.DeliveryOptions badToken = new io.vertx.core.eventbus.DeliveryOptions()
      .addHeader("authorization", "Bearer " + TestTokens.create(io.mediamesh.common.auth.TokenConfig.from(
        platformConfig.raw())).token("editor-1", io.mediamesh.common.bus.Role.EDITOR)); // signed by a stranger
    Throwable tampered = Await.failure(platform.vertx().eventBus().request(Addresses.of("probe", "note"), note,
      badToken));
    assertThat(io.mediamesh.common.bus.ServiceException.from(tampered).code())
      .isEqualTo(io.mediamesh.common.bus.ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void aDeadDatabaseFailsTheDeployment(TestInfra infra) {
    PlatformConfig broken = config(infra, new JsonObject().put("pg", new JsonObject().put("port", 1)));
    Throwable failure = Await.failure(Platform.start(broken, List.of(ProbeModule::new)));
    assertThat(failure).isNotNull();
  }
}
