package io.mediamesh.testkit;

import io.mediamesh.common.config.KafkaConfig;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.IdempotentConsumer;
import io.mediamesh.common.events.KafkaClients;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.VertxFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idempotent consumer against real Kafka and PostgreSQL: duplicates are applied once, poison goes to the DLQ
 * (at once when undecodable or rejected, after the retries when the handler keeps failing), and offsets are
 * committed once processed.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotentConsumerIT {

  private static final int MAX_ATTEMPTS = 3;

  private Vertx vertx;
  private Pool pool;
  private PlatformConfig config;
  private final AtomicInteger failingAttempts = new AtomicInteger();

  @BeforeAll
  void start(TestInfra infra) {
    vertx = Vertx.vertx();
    config = infra.platformConfig(new JsonObject().put("consumer", new JsonObject().put("maxAttempts", MAX_ATTEMPTS)));
    pool = infra.migratedPool(vertx, "consumer", "none");
    Await.result(pool.query("CREATE TABLE applied (event_id UUID NOT NULL, subject TEXT NOT NULL)").execute());
  }

  @AfterAll
  void stop() {
    Await.result(pool.close());
    Await.result(vertx.close());
  }

  /** Applies by inserting a row; "always-fails" fails every time; "invalid" is rejected as never applicable. */
  private Future<Void> apply(EventEnvelope event, io.vertx.sqlclient.SqlConnection tx) {
    if (event.subject().equals("always-fails")) {
      failingAttempts.incrementAndGet();
      return Future.failedFuture(new IllegalStateException("downstream exploded"));
    }
    if (event.subject().equals("invalid")) {
      throw new IllegalArgumentException("data.title is required");
    }
    return tx.preparedQuery("INSERT INTO applied (event_id, subject) VALUES ($1, $2)")
      .execute(Tuple.of(event.id(), event.subject())).mapEmpty();
  }

  private List<String> appliedSubjects() {
    List<String> out = new ArrayList<>();
    for (Row row : Await.result(pool.query("SELECT subject FROM applied ORDER BY subject").execute())) {
      out.add(row.getString(0));
    }
    return out;
  }

  @Test
  void duplicatesOncePoisonToDeadLettersOffsetsCommitted(TestInfra infra) throws Exception {
    String topic = infra.topic("things");
    String group = "test.things-" + System.nanoTime();
    KafkaConfig kafka = config.kafka();
    Await.result(KafkaClients.ensureTopics(vertx, kafka, Topics.withDeadLetters(List.of(topic))));

    EventEnvelope a = EventEnvelope.create("thing.created", "test", "a", new JsonObject().put("version", 1));
    EventEnvelope b = EventEnvelope.create("thing.created", "test", "b", new JsonObject().put("version", 1));
    EventEnvelope failing = EventEnvelope.create("thing.created", "test", "always-fails", new JsonObject());
    EventEnvelope invalid = EventEnvelope.create("thing.created", "test", "invalid", new JsonObject());
    EventEnvelope last = EventEnvelope.create("thing.created", "test", "z-last", new JsonObject());
    // one key, so one partition and this order
    List<byte[]> values = List.of(a.encode().getBytes(), a.encode().getBytes(), b.encode().getBytes(),
      "{not an event".getBytes(StandardCharsets.UTF_8), failing.encode().getBytes(), invalid.encode().getBytes(),
      a.encode().getBytes(), last.encode().getBytes());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
      kafka.bootstrapServers(), "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
      for (byte[] v : values) {
        producer.send(new ProducerRecord<>(topic, "k", v)).get(10, TimeUnit.SECONDS);
      }
    }

    IdempotentConsumer consumer = IdempotentConsumer.create(vertx, kafka, config.runtime(), pool, group,
      Set.of(topic), this::apply, VertxFactory.newRegistry());
    Await.result(consumer.start());
    try {
      Await.until("the last event applied", Duration.ofSeconds(60), () -> appliedSubjects().contains("z-last"));
      assertThat(appliedSubjects()).containsExactly("a", "b", "z-last");
      assertThat(failingAttempts.get()).isEqualTo(MAX_ATTEMPTS);

      try (TopicReader dlq = new TopicReader(kafka.bootstrapServers(), Topics.dlq(topic))) {
        dlq.awaitAtLeast(3, Duration.ofSeconds(30));
        // dead letters are written before the offset past them is committed: once the consumer has committed past
        // the last event, every dead letter it will write is on the topic
        Await.until("offsets committed after processing", Duration.ofSeconds(10),
          () -> committedOffset(kafka, group, topic) == endOffset(kafka, topic));
        List<ConsumerRecord<String, byte[]>> dead = dlq.toEnd(Duration.ofSeconds(30));
        assertThat(dead).hasSize(3);
        assertThat(TopicReader.header(dead.get(0), "dlq-reason")).startsWith("undecodable");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not an event");
        assertThat(TopicReader.header(dead.get(1), "dlq-reason")).startsWith("failed after 3 attempts");
        assertThat(TopicReader.header(dead.get(1), "dlq-original-topic")).isEqualTo(topic);
        assertThat(TopicReader.header(dead.get(2), "dlq-reason")).contains("data.title is required");
        assertThat(TopicReader.header(dead.get(2), "dlq-attempts")).isEqualTo("1");
      }

      Await.until("offsets committed after processing", Duration.ofSeconds(10),
        () -> committedOffset(kafka, group, topic) == endOffset(kafka, topic));
    } finally {
      Await.result(consumer.stop());
    }

    // replaying the topic from the start (offsets rewound) changes nothing: every applied event id is recorded
    rewind(kafka, group, topic);
    IdempotentConsumer replay = IdempotentConsumer.create(vertx, kafka, config.runtime(), pool, group,
      Set.of(topic), this::apply, VertxFactory.newRegistry());
    Await.result(replay.start());
    try {
      Await.until("replay reaches the end", Duration.ofSeconds(60),
        () -> committedOffset(kafka, group, topic) == endOffset(kafka, topic) && failingAttempts.get() == 2 * MAX_ATTEMPTS);
      assertThat(appliedSubjects()).containsExactly("a", "b", "z-last");
    } finally {
      Await.result(replay.stop());
    }
  }

  @Test
  void batchedConsumerAppliesWholeBatchesOnceAndIsolatesABadEvent(TestInfra infra) throws Exception {
    String topic = infra.topic("batched");
    KafkaConfig kafka = config.kafka();
    Await.result(KafkaClients.ensureTopics(vertx, kafka, Topics.withDeadLetters(List.of(topic))));
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      events.add(EventEnvelope.create("thing.created", "test", String.format("batch-%03d", i), new JsonObject()));
    }
    // one batch in flight: the topic is seconds old, and a retried first batch with others in flight behind it made
    // the in-process broker answer OutOfOrderSequence forever (a clean-clone run timed out on it)
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
      kafka.bootstrapServers(), "acks", "all", "linger.ms", "20", "max.in.flight.requests.per.connection", "1"),
      new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < events.size(); i++) {
        producer.send(new ProducerRecord<>(topic, "k", events.get(i).encode().getBytes()));
        if (i % 50 == 0) {
          producer.send(new ProducerRecord<>(topic, "k", events.get(i).encode().getBytes())); // a duplicate
        }
        if (i == 250) {
          EventEnvelope invalid = EventEnvelope.create("thing.created", "test", "invalid", new JsonObject());
          producer.send(new ProducerRecord<>(topic, "k", invalid.encode().getBytes()));
        }
      }
      producer.flush();
    }
    java.util.concurrent.atomic.AtomicInteger largestBatch = new java.util.concurrent.atomic.AtomicInteger();
    io.micrometer.core.instrument.MeterRegistry registry = VertxFactory.newRegistry();
    String group = "test.batched-" + System.nanoTime();
    IdempotentConsumer consumer = IdempotentConsumer.batched(vertx, kafka, config.runtime(), pool, group,
      Set.of(topic), (batch, tx) -> {
        largestBatch.accumulateAndGet(batch.size(), Math::max);
        Future<Void> chain = Future.succeededFuture();
        for (EventEnvelope e : batch) {
          chain = chain.compose(v -> apply(e, tx));
        }
        return chain.map(io.mediamesh.common.events.BatchEventHandler.AfterCommit.NONE);
      }, registry);
    Await.result(consumer.start());
    try {
      Await.until("every batched event applied", Duration.ofSeconds(60),
        () -> appliedSubjects().stream().filter(s -> s.startsWith("batch-")).count() == 300);
      assertThat(appliedSubjects().stream().filter(s -> s.startsWith("batch-")).distinct().count()).isEqualTo(300);
      assertThat(largestBatch.get()).isGreaterThan(1);
      // only the batch holding the invalid event fell back to one-by-one
      assertThat(registry.get("mediamesh_consumer_batch_fallbacks").counter().count()).isEqualTo(1.0);
      try (TopicReader dlq = new TopicReader(kafka.bootstrapServers(), Topics.dlq(topic))) {
        assertThat(dlq.awaitAtLeast(1, Duration.ofSeconds(30))).hasSize(1);
      }
    } finally {
      Await.result(consumer.stop());
    }
  }

  private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
    var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
    Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
    partitions.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> out = new java.util.HashMap<>();
    admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  private static long endOffset(KafkaConfig kafka, String topic) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      return ends(admin, topic).values().stream().mapToLong(Long::longValue).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sum of the group's committed offsets over the topic's partitions (-1 while nothing is committed). */
  private static long committedOffset(KafkaConfig kafka, String group, String topic) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get();
      if (committed.isEmpty()) {
        return -1;
      }
      return committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset()).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  private static void rewind(KafkaConfig kafka, String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> zero = new java.util.HashMap<>();
      ends(admin, topic).keySet().forEach(tp -> zero.put(tp, new OffsetAndMetadata(0)));
      admin.alterConsumerGroupOffsets(group, zero).all().get(10, TimeUnit.SECONDS);
    }
  }
}
