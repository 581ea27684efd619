package io.mediamesh.common.events;

import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.KafkaConfig;
import io.mediamesh.common.config.RuntimeConfig;
import io.mediamesh.common.observability.RequestContext;
import io.mediamesh.common.observability.TraceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Consumes topics and applies each event exactly once in effect:
 * <ul>
 *   <li>the event id is recorded in {@code processed_events} in the same transaction as the handler's changes, so a
 *   redelivered or replayed event is skipped;</li>
 *   <li>a failing event is retried with exponential backoff; after {@code maxAttempts}, or at once when it can never
 *   succeed (undecodable, or the handler says it is invalid), it is sent to {@code <topic>.dlq} with the reason in
 *   headers. An event is only dead-lettered while the database answers: when the service's own database is down,
 *   the consumer waits for it instead of emptying the topic into the DLQ;</li>
 *   <li>records are polled in batches, processed in order, and offsets are committed after the batch.</li>
 *   <li>with a {@link BatchEventHandler}, a polled batch is applied in one transaction (one commit instead of one per
 *   event); if that fails, its events are applied one by one as above, so one bad event is isolated. The handler's
 *   after-commit work runs once the transaction has committed.</li>
 * </ul>
 */
public final class IdempotentConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(IdempotentConsumer.class);
  private static final String MARK =
    "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  private static final int BATCH_RECORDS = 1000;
  private static final String MARK_ALL = "INSERT INTO processed_events (consumer, event_id) "
    + "SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id";

  private final Vertx vertx;
  private final Pool pool;
  private final String name;
  private final Set<String> topics;
  private final BatchEventHandler handler;
  private final boolean batched;
  private final RuntimeConfig runtime;
  private final KafkaConsumer<String, Buffer> consumer;
  private final KafkaProducer<String, Buffer> dlqProducer;
  private final Counter processed;
  private final Counter duplicates;
  private final Counter deadLettered;
  private final Counter afterCommitFailures;
  private final Counter batchFallbacks;
  private final Promise<Void> stoppedLoop = Promise.promise();
  private volatile boolean stopped;
  private boolean looping;

  private IdempotentConsumer(Vertx vertx, KafkaConfig kafka, RuntimeConfig runtime, Pool pool, String name,
                             Set<String> topics, BatchEventHandler handler, boolean batched,
                             MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.name = name;
    this.topics = topics;
    this.handler = handler;
    this.batched = batched;
    this.runtime = runtime;
    Map<String, String> options = KafkaClients.consumer(kafka, name);
    if (batched) {
      // a batch is one transaction: larger polls mean fewer commits per event
      options.put("max.poll.records", String.valueOf(BATCH_RECORDS));
    }
    this.consumer = KafkaConsumer.create(vertx, options);
    this.dlqProducer = KafkaProducer.create(vertx, KafkaClients.producer(kafka, name + "-dlq"));
    this.processed = Counter.builder("mediamesh_consumer_processed").tag("consumer", name).register(registry);
    this.duplicates = Counter.builder("mediamesh_consumer_duplicates").tag("consumer", name).register(registry);
    this.deadLettered = Counter.builder("mediamesh_consumer_dead_lettered").tag("consumer", name).register(registry);
    this.afterCommitFailures = Counter.builder("mediamesh_consumer_after_commit_failures").tag("consumer", name)
      .register(registry);
    this.batchFallbacks = Counter.builder("mediamesh_consumer_batch_fallbacks").tag("consumer", name)
      .register(registry);
  }

  /**
   * @param name the consumer name: its Kafka group id and its key in {@code processed_events}
   */
  public static IdempotentConsumer create(Vertx vertx, KafkaConfig kafka, RuntimeConfig runtime, Pool pool,
                                          String name, Set<String> topics, EventHandler handler,
                                          MeterRegistry registry) {
    BatchEventHandler one = (events, tx) -> handler.handle(events.get(0), tx).map(BatchEventHandler.AfterCommit.NONE);
    return new IdempotentConsumer(vertx, kafka, runtime, pool, name, topics, one, false, registry);
  }

  /** A consumer that applies each polled batch in one transaction (see the class comment). */
  public static IdempotentConsumer batched(Vertx vertx, KafkaConfig kafka, RuntimeConfig runtime, Pool pool,
                                           String name, Set<String> topics, BatchEventHandler handler,
                                           MeterRegistry registry) {
    return new IdempotentConsumer(vertx, kafka, runtime, pool, name, topics, handler, true, registry);
  }

  public Future<Void> start() {
    return consumer.subscribe(topics).onSuccess(v -> {
      looping = true;
      pollLoop();
    });
  }

  public Future<Void> stop() {
    stopped = true;
    if (!looping) {
      stoppedLoop.tryComplete();
    }
    return stoppedLoop.future()
      .compose(v -> consumer.close())
      .eventually(dlqProducer::close);
  }

  private void pollLoop() {
    if (stopped) {
      stoppedLoop.tryComplete();
      return;
    }
    consumer.poll(Duration.ofMillis(200))
      .compose(this::processBatch)
      .onComplete(ar -> {
        if (ar.failed() && !stopped) {
          LOG.warn("consumer {} poll failed: {}", name, ar.cause().getMessage());
          vertx.setTimer(500, id -> pollLoop());
        } else {
          pollLoop();
        }
      });
  }

  private Future<Void> processBatch(KafkaConsumerRecords<String, Buffer> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    if (batched && records.size() > 1) {
      return wholeBatch(records).recover(err -> {
        if (stopped) {
          return Future.failedFuture(err);
        }
        batchFallbacks.increment();
        LOG.warn("consumer {} batch of {} failed, applying its events one by one: {}", name, records.size(),
          err.getMessage());
        return oneByOne(records);
      }).compose(v -> consumer.commit());
    }
    return oneByOne(records).compose(v -> consumer.commit());
  }

  private Future<Void> oneByOne(KafkaConsumerRecords<String, Buffer> records) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> record = records.recordAt(i);
      chain = chain.compose(v -> onContext(record));
    }
    return chain;
  }

  /** The whole batch in one transaction; fails (changing nothing) when any record cannot be decoded or applied. */
  private Future<Void> wholeBatch(KafkaConsumerRecords<String, Buffer> records) {
    List<EventEnvelope> events = new ArrayList<>(records.size());
    try {
      for (int i = 0; i < records.size(); i++) {
        events.add(EventEnvelope.decode(records.recordAt(i).value()));
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    RequestContext rc = new RequestContext(TraceContext.parseOrRoot(header(records.recordAt(0), "traceparent")),
      UUID.randomUUID().toString());
    ContextInternal ctx = RequestContext.bind(vertx, rc);
    Promise<Void> done = ctx.promise();
    ctx.runOnContext(v -> {
      UUID[] ids = events.stream().map(EventEnvelope::id).toArray(UUID[]::new);
      List<EventEnvelope> fresh = new ArrayList<>(events.size());
      pool.withTransaction(tx -> tx.preparedQuery(MARK_ALL).execute(Tuple.tuple().addString(name).addArrayOfUUID(ids))
        .compose(rows -> {
          Set<UUID> marked = new HashSet<>();
          rows.forEach(r -> marked.add(r.getUUID(0)));
          for (EventEnvelope e : events) {
            if (marked.remove(e.id())) {
              fresh.add(e);
            }
          }
          if (fresh.isEmpty()) {
            return Future.succeededFuture(BatchEventHandler.AfterCommit.NONE);
          }
          try {
            return handler.handle(fresh, tx);
          } catch (RuntimeException e) {
            return Future.failedFuture(e);
          }
        }))
        .compose(after -> {
          processed.increment(fresh.size());
          duplicates.increment(events.size() - fresh.size());
          return afterCommit(after);
        })
        .onComplete(done);
    });
    return done.future();
  }

  private Future<Void> afterCommit(BatchEventHandler.AfterCommit after) {
    Future<Void> run;
    try {
      run = after.run();
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    return run.recover(err -> {
      afterCommitFailures.increment();
      LOG.warn("consumer {} after-commit work failed: {}", name, err.getMessage());
      return Future.succeededFuture();
    });
  }

  /** Runs one record on its own duplicated context carrying the record's trace, so handler logs carry it. */
  private Future<Void> onContext(KafkaConsumerRecord<String, Buffer> record) {
    RequestContext rc = new RequestContext(TraceContext.parseOrRoot(header(record, "traceparent")),
      UUID.randomUUID().toString());
    ContextInternal ctx = RequestContext.bind(vertx, rc);
    Promise<Void> done = ctx.promise();
    ctx.runOnContext(v -> process(record, 1, runtime.consumerInitialBackoffMs()).onComplete(done));
    return done.future();
  }

  private Future<Void> process(KafkaConsumerRecord<String, Buffer> record, int attempt, long backoff) {
    EventEnvelope event;
    try {
      event = EventEnvelope.decode(record.value());
    } catch (IllegalArgumentException e) {
      return deadLetter(record, "undecodable: " + e.getMessage(), attempt);
    }
    return pool.withTransaction(tx -> tx.preparedQuery(MARK).execute(Tuple.of(name, event.id()))
        .compose(res -> {
          if (res.rowCount() == 0) {
            duplicates.increment();
            return Future.succeededFuture(BatchEventHandler.AfterCommit.NONE);
          }
          try {
            return handler.handle(List.of(event), tx).onSuccess(v -> processed.increment());
          } catch (RuntimeException e) {
            return Future.failedFuture(e);
          }
        }))
      .compose(this::afterCommit)
      .recover(err -> {
        if (stopped) {
          return Future.failedFuture(err);
        }
        if (permanent(err)) {
          return deadLetter(record, "rejected: " + err.getMessage(), attempt);
        }
        if (attempt >= runtime.consumerMaxAttempts()) {
          return databaseUp().compose(up -> up
            ? deadLetter(record, "failed after " + attempt + " attempts: " + err.getMessage(), attempt)
            : retryLater(record, attempt, backoff, err));
        }
        return retryLater(record, attempt, backoff, err);
      });
  }

  private Future<Void> retryLater(KafkaConsumerRecord<String, Buffer> record, int attempt, long backoff,
                                  Throwable err) {
    LOG.warn("consumer {} attempt {} for {}@{} failed, retrying in {} ms: {}", name, attempt, record.topic(),
      record.offset(), backoff, err.getMessage());
    Promise<Void> later = Promise.promise();
    vertx.setTimer(backoff, id -> process(record, Math.min(attempt + 1, runtime.consumerMaxAttempts()),
      Math.min(runtime.consumerMaxBackoffMs(), backoff * 2)).onComplete(later));
    return later.future();
  }

  private Future<Boolean> databaseUp() {
    return pool.query("SELECT 1").execute().map(true).otherwise(false);
  }

  private static boolean permanent(Throwable err) {
    return err instanceof IllegalArgumentException
      || (err instanceof ServiceException se && se.code().isClientError());
  }

  private Future<Void> deadLetter(KafkaConsumerRecord<String, Buffer> record, String reason, int attempts) {
    KafkaProducerRecord<String, Buffer> dead = KafkaProducerRecord.create(Topics.dlq(record.topic()), record.key(),
      record.value());
    for (KafkaHeader h : record.headers()) {
      dead.addHeader(h.key(), h.value());
    }
    dead.addHeader("dlq-reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
    dead.addHeader("dlq-consumer", name);
    dead.addHeader("dlq-original-topic", record.topic());
    dead.addHeader("dlq-original-partition", String.valueOf(record.partition()));
    dead.addHeader("dlq-original-offset", String.valueOf(record.offset()));
    dead.addHeader("dlq-attempts", String.valueOf(attempts));
    LOG.error("consumer {} dead-letters {}@{}/{}: {}", name, record.topic(), record.partition(), record.offset(),
      reason);
    return sendDead(dead, 200);
  }

  /** The record's offset is committed only after its dead letter is stored, so this retries until it is. */
  private Future<Void> sendDead(KafkaProducerRecord<String, Buffer> dead, long backoff) {
    return dlqProducer.send(dead).<Void>mapEmpty().onSuccess(v -> deadLettered.increment()).recover(err -> {
      if (stopped) {
        return Future.failedFuture(err);
      }
      LOG.warn("consumer {} cannot write to {}, retrying in {} ms: {}", name, dead.topic(), backoff, err.getMessage());
      Promise<Void> later = Promise.promise();
      vertx.setTimer(backoff, id -> sendDead(dead, Math.min(runtime.consumerMaxBackoffMs(), backoff * 2))
        .onComplete(later));
      return later.future();
    });
  }

  private static String header(KafkaConsumerRecord<String, Buffer> record, String key) {
    for (KafkaHeader h : record.headers()) {
      if (h.key().equals(key)) {
        return h.value().toString();
      }
    }
    return null;
  }
}
