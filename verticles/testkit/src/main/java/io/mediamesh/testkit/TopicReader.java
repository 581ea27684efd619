package io.mediamesh.testkit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a whole topic from the start, with a plain Kafka consumer (no group, no commits), so a test can count
 * exactly what was published.
 */
public final class TopicReader implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

  public TopicReader(String bootstrapServers, String topic) {
    consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
      "group.id", "reader-" + UUID.randomUUID(), "enable.auto.commit", "false",
      "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
      new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
  }

  /** Everything read so far, after polling once more. */
  public List<ConsumerRecord<String, byte[]>> poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    return List.copyOf(records);
  }

  /** Polls until at least {@code count} records arrived or the timeout passed; returns all read. */
  public List<ConsumerRecord<String, byte[]>> awaitAtLeast(int count, Duration timeout) {
    Await.until(count + " records", timeout, () -> poll().size() >= count);
    return List.copyOf(records);
  }

  /**
   * Waits until {@code service} of {@code platform} has published everything in its outbox, then reads the topic to
   * its end; answers all read. Every event of every change the service committed before this call is then in the
   * list, and so is any duplicate of one (the relay marks an event published only after the broker took it).
   */
  public List<ConsumerRecord<String, byte[]>> afterOutbox(io.mediamesh.common.runtime.Platform platform,
                                                          String service, Duration timeout) {
    Await.until(service + "'s outbox drained", timeout, () -> Await.result(platform.outboxPending(service)) == 0);
    return toEnd(timeout);
  }

  /**
   * Polls until every partition of the topic is read to its end (its last stable offset, as this reader reads
   * committed records only); answers all read. What is on the topic when this is called is then all in the list.
   */
  public List<ConsumerRecord<String, byte[]>> toEnd(Duration timeout) {
    Await.until("the topic read to its end", timeout, () -> {
      poll();
      Set<TopicPartition> assigned = consumer.assignment();
      if (assigned.isEmpty()) {
        return false;
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
      return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    });
    return List.copyOf(records);
  }

  public static String header(ConsumerRecord<?, ?> record, String key) {
    var h = record.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
