package io.mediamesh.ingest.run;

import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.ingest.IngestConfig;
import io.mediamesh.ingest.domain.ImportFailure;
import io.mediamesh.ingest.domain.Job;
import io.mediamesh.common.db.Times;
import io.mediamesh.common.runtime.SerialPass;
import io.mediamesh.ingest.persistence.JobRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * Runs jobs in the background of every ingest instance, with state only in the database, so any instance can pick
 * up any job and a restart loses none:
 * <ul>
 *   <li>a pass (every {@code pollIntervalMs}, and at once when a job is created here) turns due sources into jobs
 *   ({@link SourceScheduler}), then claims due PENDING jobs,
 *   up to {@code concurrency} at a time, under an advisory lock so no feed ever has two RUNNING jobs;</li>
 *   <li>a RUNNING job holds a lease it renews while it works; a job whose lease ran out (its instance crashed) is
 *   put back to PENDING by whichever instance sees it first, or FAILED if it has used its attempts;</li>
 *   <li>a failed attempt that may pass (network, 5xx, a service unavailable) is retried after
 *   {@code initialBackoffMs * 2^(attempt-1)}, capped at {@code maxBackoffMs}, up to {@code maxAttempts}; any other
 *   failure, or the last attempt, makes the job FAILED. Every end writes its event in the same transaction.</li>
 * </ul>
 * The importing itself is asynchronous (bus calls, a non-blocking HTTP client) with parsing on worker threads, so
 * the event loop only ever waits for nothing.
 */
public final class JobRunner {

  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final Vertx vertx;
  private final Pool pool;
  private final Importer importer;
  private final SourceScheduler scheduler;
  private final IngestConfig config;
  private final Clock clock;
  private final JobRepository jobs = new JobRepository();
  private long timer = -1;
  private final SerialPass pass;
  private int running;
  private boolean stopped;

  public JobRunner(Vertx vertx, Pool pool, Importer importer, SourceScheduler scheduler, IngestConfig config,
                   Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.importer = importer;
    this.scheduler = scheduler;
    this.config = config;
    this.clock = clock;
    this.pass = new SerialPass("ingest job",
      () -> scheduler.createDueJobs().compose(n -> recoverExpired()).compose(v -> claimWhileFree()));
  }

  public void start() {
    timer = vertx.setPeriodic(config.pollIntervalMs(), id -> wake());
  }

  public void stop() {
    stopped = true;
    pass.stop();
    vertx.cancelTimer(timer);
  }

  /** Looks for work now (call on the service's context). */
  public void wake() {
    pass.run();
  }

  private Future<Void> claimWhileFree() {
    if (stopped || running >= config.concurrency()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(tx -> jobs.claim(tx, now(), config.leaseSeconds())).compose(claimed -> {
      if (claimed.isEmpty()) {
        return Future.succeededFuture();
      }
      execute(claimed.get());
      return claimWhileFree();
    });
  }

  private void execute(Job job) {
    running++;
    long renewEvery = Math.max(200, config.leaseSeconds() * 1000 / 3);
    long renewal = vertx.setPeriodic(renewEvery, id -> jobs.renewLease(pool, job.id(), now(), config.leaseSeconds())
      .onFailure(err -> LOG.warn("lease of job {} not renewed: {}", job.id(), err.getMessage())));
    LOG.info("job {} attempt {}: importing {} {}", job.id(), job.attempts(), job.sourceType(), job.sourceUrl());
    importer.run(job)
      .compose(outcome -> pool.withTransaction(tx -> jobs.complete(tx, job.id(), outcome.imported(), outcome.updated(),
        outcome.skipped(), outcome.skipReasons(), outcome.programId(), now()).compose(done -> JobEvents.completed(tx, done))))
      .onSuccess(done -> LOG.info("job {} completed: {} imported, {} updated, {} skipped", done.id(),
        done.itemsImported(), done.itemsUpdated(), done.itemsSkipped()))
      .recover(err -> afterFailure(job, err))
      .onComplete(ar -> {
        vertx.cancelTimer(renewal);
        running--;
        if (ar.failed()) {
          LOG.warn("job {} could not be finished (its lease will expire and it will be recovered): {}", job.id(),
            ar.cause().getMessage());
        }
        wake();
      });
  }

  private Future<Job> afterFailure(Job job, Throwable err) {
    boolean retryable = retryable(err);
    String error = message(err);
    if (!(err instanceof ImportFailure) && !(err instanceof ServiceException)) {
      LOG.error("job {} failed unexpectedly", job.id(), err);
    }
    if (retryable && job.attempts() < config.maxAttempts()) {
      long delay = config.backoffMs(job.attempts());
      LOG.info("job {} attempt {} failed ({}); retrying in {} ms", job.id(), job.attempts(), error, delay);
      return pool.withTransaction(tx -> jobs.requeue(tx, job.id(), error, now(), delay, false));
    }
    LOG.info("job {} failed after {} attempt(s): {}", job.id(), job.attempts(), error);
    return pool.withTransaction(tx -> jobs.fail(tx, job.id(), error, now())
      .compose(failed -> JobEvents.failed(tx, failed)));
  }

  /** RUNNING jobs whose instance stopped renewing: back to PENDING at once, or FAILED when out of attempts. */
  private Future<Void> recoverExpired() {
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> jobs.lockExpired(tx, now, 20).compose(expired -> {
      Future<Void> chain = Future.succeededFuture();
      for (Job job : expired) {
        String error = "interrupted: the instance running it stopped";
        chain = chain.compose(v -> (job.attempts() < config.maxAttempts()
          ? jobs.requeue(tx, job.id(), error, now, 0, false)
          : jobs.fail(tx, job.id(), error, now).compose(failed -> JobEvents.failed(tx, failed)))
          .onSuccess(j -> LOG.warn("job {} recovered after its lease expired: now {}", j.id(), j.status()))
          .mapEmpty());
      }
      return chain;
    }));
  }

  private OffsetDateTime now() {
    return Times.now(clock);
  }

  static boolean retryable(Throwable err) {
    if (err instanceof ImportFailure f) {
      return f.retryable();
    }
    if (err instanceof ServiceException se) {
      int status = se.code().status();
      return status >= 500 || status == 401 || status == 429;
    }
    return true;
  }

  static String message(Throwable err) {
    if (err instanceof ImportFailure f) {
      return f.getMessage();
    }
    if (err instanceof ServiceException se) {
      return "the platform refused the import: " + se.getMessage();
    }
    if (err instanceof IllegalStateException && err.getMessage() != null && err.getMessage().contains("auth service")) {
      return err.getMessage();
    }
    return "unexpected error while importing";
  }
}
