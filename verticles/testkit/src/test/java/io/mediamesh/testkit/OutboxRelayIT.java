package io.mediamesh.testkit;

import io.mediamesh.common.config.KafkaConfig;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.KafkaClients;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.OutboxRelay;
import io.mediamesh.common.runtime.VertxFactory;
import io.mediamesh.devstack.EmbeddedKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox relay against real PostgreSQL and a real Kafka broker of its own (so the broker can be stopped):
 * exactly the committed events are published, none of a rolled-back transaction, also across a Kafka outage.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxRelayIT {

  private Vertx vertx;
  private EmbeddedKafka kafka;
  private Path kafkaDir;
  private Pool pool;
  private KafkaProducer<String, Buffer> producer;
  private OutboxRelay relay;
  private KafkaConfig kafkaConfig;

  @BeforeAll
  void start(TestInfra infra) throws Exception {
    vertx = Vertx.vertx();
    kafkaDir = Files.createTempDirectory("outbox-kafka-");
    kafka = EmbeddedKafka.start("127.0.0.1", 0, kafkaDir);
    kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), 1, (short) 1, "127.0.0.1", 0, "");
    pool = infra.migratedPool(vertx, "outbox", "none");
    Await.result(pool.query("CREATE TABLE things (id TEXT PRIMARY KEY, name TEXT NOT NULL)").execute());
    Map<String, String> producerConfig = KafkaClients.producer(kafkaConfig, "outbox-test");
    // fail fast while the broker is down so the test sees the relay retry rather than one long blocked send
    producerConfig.put("delivery.timeout.ms", "3000");
    producerConfig.put("request.timeout.ms", "1000");
    producerConfig.put("max.block.ms", "1000");
    producer = KafkaProducer.create(vertx, producerConfig);
    relay = new OutboxRelay(vertx, pool, infra.pg().connectOptions(infra.database("outbox")), producer, 50, 200,
      VertxFactory.newRegistry(), "test");
    Await.result(relay.start());
  }

  @AfterAll
  void stop() {
    Await.result(relay.stop());
    Await.result(producer.close());
    Await.result(pool.close());
    Await.result(vertx.close());
    kafka.stop();
    TestFiles.deleteTree(kafkaDir);
  }

  /** One transaction: the domain row and its event; {@code fail} rolls both back after they were written. */
  private Future<EventEnvelope> change(String topic, String id, boolean fail) {
    EventEnvelope event = EventEnvelope.create("thing.created", "test", id, new JsonObject().put("id", id)
      .put("version", 1));
    return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO things (id, name) VALUES ($1, $2)")
      .execute(Tuple.of(id, "thing " + id))
      .compose(v -> Outbox.append(tx, topic, event))
      .compose(v -> fail ? Future.failedFuture(new IllegalStateException("rolled back on purpose"))
        : Future.succeededFuture(event)));
  }

  private static Set<String> ids(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().map(r -> new JsonObject(new String(r.value(), StandardCharsets.UTF_8)).getString("id"))
      .collect(Collectors.toSet());
  }

  private long unpublished() {
    return Await.result(pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").execute())
      .iterator().next().getLong(0);
  }

  @Test
  void publishesExactlyTheCommittedEvents() {
    String topic = "things-" + System.nanoTime();
    Await.result(KafkaClients.ensureTopics(vertx, kafkaConfig, List.of(topic)));
    List<EventEnvelope> committed = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      boolean rollback = i % 3 == 2;
      Future<EventEnvelope> f = change(topic, "a" + i, rollback);
      if (rollback) {
        Await.failure(f);
      } else {
        committed.add(Await.result(f));
      }
    }
    try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
      reader.awaitAtLeast(committed.size(), Duration.ofSeconds(30));
      // everything the relay will publish is on the topic once the outbox is drained; then read it all
      Await.until("outbox drained", Duration.ofSeconds(10), () -> unpublished() == 0);
      List<ConsumerRecord<String, byte[]>> all = reader.toEnd(Duration.ofSeconds(30));
      assertThat(all).hasSize(committed.size());
      assertThat(ids(all)).isEqualTo(committed.stream().map(e -> e.id().toString()).collect(Collectors.toSet()));
      for (ConsumerRecord<String, byte[]> r : all) {
        EventEnvelope e = EventEnvelope.decode(Buffer.buffer(r.value()));
        assertThat(r.key()).isEqualTo(e.subject());
        assertThat(TopicReader.header(r, "traceparent")).isEqualTo(e.traceparent());
        assertThat(TopicReader.header(r, "event-type")).isEqualTo("thing.created");
      }
    }
    Await.until("outbox drained", Duration.ofSeconds(10), () -> unpublished() == 0);
  }

  @Test
  void eventsCommittedWhileKafkaIsDownArePublishedOnceWhenItReturns() {
    String topic = "outage-" + System.nanoTime();
    Await.result(KafkaClients.ensureTopics(vertx, kafkaConfig, List.of(topic)));
    kafka.stop();
    List<String> committed = new ArrayList<>();
    try {
      for (int i = 0; i < 15; i++) {
        committed.add(Await.result(change(topic, "b" + i, false)).id().toString());
        Await.failure(change(topic, "c" + i, true)); // written, then rolled back
      }
      // the relay keeps trying while the broker is away and marks nothing as published
      double failuresBefore = relayFailures();
      Await.until("relay retries during the outage", Duration.ofSeconds(30), () -> relayFailures() > failuresBefore);
      assertThat(unpublished()).isEqualTo(15);
    } finally {
      kafka.restart();
    }
    try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
      reader.awaitAtLeast(15, Duration.ofSeconds(60));
      Await.until("outbox drained", Duration.ofSeconds(10), () -> unpublished() == 0);
      List<ConsumerRecord<String, byte[]>> all = reader.toEnd(Duration.ofSeconds(30));
      assertThat(all).hasSize(15);
      assertThat(ids(all)).containsExactlyInAnyOrderElementsOf(committed);
    }
    Await.until("outbox drained", Duration.ofSeconds(10), () -> unpublished() == 0);
  }

  private double relayFailures() {
    return relay.failures();
  }
}
