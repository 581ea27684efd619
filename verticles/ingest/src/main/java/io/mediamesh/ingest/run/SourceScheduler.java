package io.mediamesh.ingest.run;

import io.mediamesh.ingest.domain.Job;
import io.mediamesh.ingest.domain.Source;
import io.mediamesh.ingest.persistence.JobRepository;
import io.mediamesh.ingest.persistence.SourceRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns due sources into jobs. A pass takes due sources {@code FOR UPDATE SKIP LOCKED} and, in the same
 * transaction, creates each one's job and moves its next run an interval on (or clears it for a one-off source),
 * so with several instances each run is created exactly once. A source whose previous job has not finished gets
 * no second one: the run is skipped to the next interval (one runner per source, never a pile-up).
 */
public final class SourceScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(SourceScheduler.class);
  private static final int BATCH = 20;

  private final Vertx vertx;
  private final Pool pool;
  private final long intervalMs;
  private final Runnable onNewJobs;
  private final SourceRepository sources = new SourceRepository();
  private final JobRepository jobs = new JobRepository();
  private long timer = -1;
  private boolean running;

  public SourceScheduler(Vertx vertx, Pool pool, long intervalMs, Runnable onNewJobs) {
    this.vertx = vertx;
    this.pool = pool;
    this.intervalMs = intervalMs;
    this.onNewJobs = onNewJobs;
  }

  public void start() {
    timer = vertx.setPeriodic(intervalMs, id -> pass());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void pass() {
    if (running) {
      return;
    }
    running = true;
    pool.withTransaction(tx -> sources.lockDue(tx, BATCH).compose(due -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (Source s : due) {
        chain = chain.compose(created -> jobs.hasUnfinished(tx, s.id()).compose(busy -> (busy
          ? Future.succeededFuture(created)
          : jobs.insert(tx, Job.pending(s.id(), s.type(), s.url(), s.feedKey(), s.mapping(), s.createdBy()))
          .map(created + 1))
          .compose(n -> sources.scheduleNext(tx, s.id(), s.intervalSeconds()).map(n))));
      }
      return chain;
    })).onComplete(ar -> {
      running = false;
      if (ar.failed()) {
        LOG.warn("source scheduling pass failed: {}", ar.cause().getMessage());
      } else if (ar.result() > 0) {
        LOG.info("{} scheduled import job(s) created", ar.result());
        onNewJobs.run();
      }
    });
  }
}
