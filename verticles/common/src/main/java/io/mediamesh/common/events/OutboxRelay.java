package io.mediamesh.common.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.buffer.Buffer;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.util.ArrayList;
import java.util.List;

/**
 * Publishes outbox rows to Kafka, oldest first, and marks them published in the same transaction that read them.
 * <ul>
 *   <li>Nothing committed is lost: a row is marked only after Kafka acknowledged it (acks=all); if Kafka is down the
 *   transaction rolls back and the rows are sent again later, with backoff.</li>
 *   <li>Nothing rolled back is published: rows of a rolled-back transaction never existed.</li>
 *   <li>Several instances are safe: each pass takes a transaction-scoped advisory lock; one relay per database sends
 *   at a time, which also keeps each aggregate's events in order.</li>
 * </ul>
 * A pass runs when a transaction with events commits (LISTEN/NOTIFY), and on a timer as a safety net. A row Kafka
 * can never take as it is (too large, an invalid topic) is set aside ({@code dead_at}, {@code last_error}, counted
 * in {@code mediamesh_outbox_set_aside}) and kept for an operator, instead of being retried forever; any other
 * failure is retried.
 * Delivery is at least once (a crash between Kafka's ack and the commit resends); consumers are idempotent.
 */
public final class OutboxRelay {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  /** Advisory lock id: the same in every service database ("mmoutbox" as ASCII). */
  private static final long LOCK_ID = 0x6d6d6f7574626f78L;
  private static final String SELECT =
    "SELECT seq, topic, event_key, event_type, event_id, payload, traceparent FROM outbox "
      + "WHERE published_at IS NULL AND dead_at IS NULL ORDER BY seq LIMIT $1";
  private static final String MARK = "UPDATE outbox SET published_at = now() WHERE seq = ANY($1)";
  private static final String SET_ASIDE = "UPDATE outbox SET dead_at = now(), last_error = $2 WHERE seq = $1";
  /** Failures no retry can mend: the record as it is cannot be written to that topic. */
  private static final List<Class<? extends Throwable>> PERMANENT = List.of(RecordTooLargeException.class,
    RecordBatchTooLargeException.class, InvalidTopicException.class, SerializationException.class);
  private static final String PURGE = "DELETE FROM outbox WHERE published_at < now() - interval '1 day'";
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Vertx vertx;
  private final Pool pool;
  private final PgConnectOptions listenOptions;
  private final KafkaProducer<String, Buffer> producer;
  private final int batchSize;
  private final long pollIntervalMs;
  private final Counter published;
  private final Counter failures;
  private final Counter setAside;

  private PgSubscriber subscriber;
  private long pollTimer = -1;
  private long purgeTimer = -1;
  private boolean running;
  private Future<Pass> current = Future.succeededFuture();
  private boolean again;
  private boolean stopped;
  private long backoffMs;
  private long retryTimer = -1;

  public OutboxRelay(Vertx vertx, Pool pool, PgConnectOptions listenOptions, KafkaProducer<String, Buffer> producer,
                     int batchSize, long pollIntervalMs, MeterRegistry registry, String service) {
    this.vertx = vertx;
    this.pool = pool;
    this.listenOptions = listenOptions;
    this.producer = producer;
    this.batchSize = batchSize;
    this.pollIntervalMs = pollIntervalMs;
    this.published = Counter.builder("mediamesh_outbox_published").tag("service", service).register(registry);
    this.failures = Counter.builder("mediamesh_outbox_failures").tag("service", service).register(registry);
    this.setAside = Counter.builder("mediamesh_outbox_set_aside").tag("service", service).register(registry);
  }

  public Future<Void> start() {
    subscriber = PgSubscriber.subscriber(vertx, listenOptions)
      .reconnectPolicy(retries -> Math.min(5_000L, 100L << Math.min(retries, 6)));
    subscriber.channel("mediamesh_outbox").handler(payload -> kick());
    pollTimer = vertx.setPeriodic(pollIntervalMs, id -> kick());
    purgeTimer = vertx.setPeriodic(3_600_000L, id -> pool.query(PURGE).execute());
    kick();
    // LISTEN is an optimisation; if it cannot connect now the timer still drains the outbox
    return subscriber.connect().recover(err -> {
      LOG.warn("outbox LISTEN unavailable, relying on polling: {}", err.getMessage());
      return Future.succeededFuture();
    });
  }

  /** Stops the timers and waits for a pass that is running, so the producer and pool are not closed under it. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(purgeTimer);
    vertx.cancelTimer(retryTimer);
    Future<Void> closed = subscriber == null ? Future.succeededFuture() : subscriber.close();
    return closed.transform(v -> current.<Void>mapEmpty().otherwiseEmpty());
  }

  /** Passes that failed so far (Kafka or the database unavailable); also exported as a metric. */
  public double failures() {
    return failures.count();
  }

  /** Asks for a pass now; if one is running, another follows it. */
  public void kick() {
    if (stopped || retryTimer != -1) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    current = pool.withTransaction(this::pass).onComplete(ar -> {
      running = false;
      Throwable failure = ar.failed() ? ar.cause() : ar.result().failure();
      if (failure != null) {
        failures.increment();
        backoffMs = backoffMs == 0 ? 100 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        LOG.warn("outbox relay pass failed, retrying in {} ms: {}", backoffMs, failure.getMessage());
        retryTimer = vertx.setTimer(backoffMs, id -> {
          retryTimer = -1;
          kick();
        });
        return;
      }
      backoffMs = 0;
      if (again || ar.result().read() == batchSize) {
        kick();
      }
    });
  }

  /** What a pass did: rows read, and the first send failure (the acknowledged rows are marked regardless). */
  private record Pass(int read, Throwable failure) {
    static final Pass NONE = new Pass(0, null);
  }

  /**
   * One pass: sends the oldest unpublished rows and marks those Kafka acknowledged. It waits for every send to
   * settle (not just the first failure), so no send is still in flight when the pass ends, and rows that were
   * acknowledged are never sent again because a neighbour failed. Fails after committing the marks when any send
   * failed, which makes the relay back off.
   */
  private Future<Pass> pass(SqlConnection tx) {
    return tx.query("SELECT pg_try_advisory_xact_lock(" + LOCK_ID + ")").execute()
      .compose(locked -> {
        if (!locked.iterator().next().getBoolean(0)) {
          return Future.succeededFuture(Pass.NONE);
        }
        return tx.preparedQuery(SELECT).execute(Tuple.of(batchSize)).compose(rows -> {
          List<Future<?>> sends = new ArrayList<>();
          List<Long> seqs = new ArrayList<>();
          for (Row row : rows) {
            seqs.add(row.getLong("seq"));
            sends.add(producer.send(record(row)));
          }
          if (seqs.isEmpty()) {
            return Future.succeededFuture(Pass.NONE);
          }
          return Future.join(sends).transform(settled -> {
            List<Long> acked = new ArrayList<>();
            List<Tuple> aside = new ArrayList<>();
            Throwable firstFailure = null;
            for (int i = 0; i < sends.size(); i++) {
              Throwable cause = sends.get(i).cause();
              if (sends.get(i).succeeded()) {
                acked.add(seqs.get(i));
              } else if (permanent(cause)) {
                LOG.error("outbox row {} set aside, Kafka can never take it: {}", seqs.get(i), cause.toString());
                aside.add(Tuple.of(seqs.get(i), cause.toString()));
              } else if (firstFailure == null) {
                firstFailure = cause;
              }
            }
            Future<Integer> marked = (acked.isEmpty() ? Future.<Integer>succeededFuture(0)
              : tx.preparedQuery(MARK).execute(Tuple.of(acked.toArray(new Long[0]))).map(acked.size()))
              .compose(n -> aside.isEmpty() ? Future.succeededFuture(n)
                : tx.preparedQuery(SET_ASIDE).executeBatch(aside).map(n));
            // back off only when nothing went through: one row that keeps failing must not throttle the rest
            Throwable failure = acked.isEmpty() && aside.isEmpty() ? firstFailure : null;
            if (firstFailure != null && !acked.isEmpty()) {
              LOG.warn("outbox relay: {} of {} events not acknowledged, retrying: {}", seqs.size() - acked.size(),
                seqs.size(), firstFailure.getMessage());
            }
            return marked.map(n -> {
              published.increment(n);
              setAside.increment(aside.size());
              return new Pass(seqs.size(), failure);
            });
          });
        });
      });
  }

  static boolean permanent(Throwable cause) {
    return cause != null && PERMANENT.stream().anyMatch(type -> type.isInstance(cause));
  }

  private static KafkaProducerRecord<String, Buffer> record(Row row) {
    KafkaProducerRecord<String, Buffer> record = KafkaProducerRecord.create(row.getString("topic"),
      row.getString("event_key"), Buffer.buffer(row.getString("payload")));
    record.addHeader("event-id", row.getUUID("event_id").toString());
    record.addHeader("event-type", row.getString("event_type"));
    String traceparent = row.getString("traceparent");
    if (traceparent != null) {
      record.addHeader("traceparent", traceparent);
    }
    return record;
  }
}
