package io.mediamesh.testkit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /** Polls for a while more to be sure nothing else arrives; returns all read. */
  public List<ConsumerRecord<String, byte[]>> settle(Duration quiet) {
    long end = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < end) {
      poll();
    }
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
