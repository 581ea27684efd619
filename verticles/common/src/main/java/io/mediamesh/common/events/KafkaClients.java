package io.mediamesh.common.events;

import io.mediamesh.common.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Kafka client settings used across the platform, and topic creation. */
public final class KafkaClients {

  private KafkaClients() {
  }

  /** Idempotent, fully acknowledged producer: a retried send never duplicates or reorders within a partition. */
  public static Map<String, String> producer(KafkaConfig kafka, String clientId) {
    Map<String, String> c = new HashMap<>();
    c.put("bootstrap.servers", kafka.bootstrapServers());
    c.put("client.id", clientId);
    c.put("acks", "all");
    c.put("enable.idempotence", "true");
    c.put("max.in.flight.requests.per.connection", "5");
    c.put("linger.ms", "2");
    c.put("compression.type", "lz4");
    c.put("delivery.timeout.ms", "30000");
    c.put("request.timeout.ms", "10000");
    c.put("max.block.ms", "10000");
    c.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    c.put("value.serializer", "io.vertx.kafka.client.serialization.BufferSerializer");
    return c;
  }

  /** Manual commits only: offsets move after processing, never before. */
  public static Map<String, String> consumer(KafkaConfig kafka, String groupId) {
    Map<String, String> c = new HashMap<>();
    c.put("bootstrap.servers", kafka.bootstrapServers());
    c.put("group.id", groupId);
    c.put("client.id", groupId + "-" + Long.toHexString(System.nanoTime()));
    c.put("enable.auto.commit", "false");
    c.put("auto.offset.reset", "earliest");
    c.put("max.poll.records", "200");
    c.put("isolation.level", "read_committed");
    c.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    c.put("value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer");
    return c;
  }

  public static Map<String, String> admin(KafkaConfig kafka) {
    Map<String, String> c = new HashMap<>();
    c.put("bootstrap.servers", kafka.bootstrapServers());
    c.put("request.timeout.ms", "5000");
    c.put("default.api.timeout.ms", "5000");
    return c;
  }

  /** Creates the topics that are missing; a concurrent creation by another instance is fine. */
  public static Future<Void> ensureTopics(Vertx vertx, KafkaConfig kafka, List<String> topics) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, admin(kafka));
    return admin.listTopics()
      .compose(existing -> {
        List<NewTopic> missing = topics.stream().distinct().filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, kafka.partitions(), kafka.replicationFactor())).toList();
        return missing.isEmpty() ? Future.<Void>succeededFuture() : admin.createTopics(missing);
      })
      .recover(err -> err instanceof TopicExistsException || err.getCause() instanceof TopicExistsException
        ? Future.succeededFuture() : Future.failedFuture(err))
      .eventually(admin::close);
  }
}
