package io.mediamesh.processing.jobs;

import io.mediamesh.common.api.ProcessingApi;
import io.mediamesh.common.api.ProcessingApi.JobStatus;
import io.mediamesh.common.api.ProcessingApi.JobType;
import io.mediamesh.common.db.Times;
import io.mediamesh.common.runtime.SerialPass;
import io.mediamesh.processing.ProcessingConfig;
import io.mediamesh.processing.media.Ffmpeg;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs jobs in the background of every processing instance, with state only in the database, so any instance can
 * take any job and a crash loses none:
 * <ul>
 *   <li>a pass (every {@code pollIntervalMs}, and at once when a job is queued here) recovers lapsed leases, removes
 *   what canceled jobs left, then claims due QUEUED jobs while fewer than {@code concurrency} run here;</li>
 *   <li>a RUNNING job's progress is written (and its lease renewed) every {@code progressIntervalMs} and published
 *   on the bus; when the write finds the job is no longer this instance's (canceled, or recovered after the lease
 *   ran out) the attempt is stopped and FFmpeg killed;</li>
 *   <li>each attempt starts by removing what earlier attempts stored, so a restart leaves no orphan objects;</li>
 *   <li>a failure that may pass is retried after a doubling backoff up to {@code maxAttempts}; any other failure,
 *   or the last attempt, makes the job FAILED with its reason, and its objects are removed;</li>
 *   <li>the watchdog fails a job whose progress has not moved for {@code stallSeconds}.</li>
 * </ul>
 */
public final class JobRunner {

  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  /** Where a cancel is announced to every instance (the one running the job stops it at once). */
  public static final String CANCEL_ADDRESS = "mediamesh.processing.cancel";

  private final Vertx vertx;
  private final Context context;
  private final Pool pool;
  private final ProcessingConfig config;
  private final Clock clock;
  private final Ffmpeg ffmpeg;
  private final Map<JobType, Work> works;
  private final JobEvents events;
  private final JobRepository jobs = new JobRepository();
  private final String owner = UUID.randomUUID().toString();
  private final Path workDir;
  private final Map<UUID, Attempt> attempts = new HashMap<>();
  private MessageConsumer<JsonObject> cancels;
  private WorkDirLock lock;
  private final SerialPass pass;
  private long timer = -1;
  private boolean stopped;

  public JobRunner(Vertx vertx, Pool pool, ProcessingConfig config, Clock clock, Ffmpeg ffmpeg,
                   Map<JobType, Work> works, JobEvents events) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.config = config;
    this.clock = clock;
    this.ffmpeg = ffmpeg;
    this.works = Map.copyOf(works);
    this.events = events;
    this.workDir = config.workDir().resolve(owner);
    this.pass = new SerialPass("processing job", () -> recoverExpired().compose(v -> sweep())
      .compose(v -> claimWhileFree()));
  }

  public Future<Void> start() {
    cancels = vertx.eventBus().consumer(CANCEL_ADDRESS, message -> {
      Attempt attempt = attempts.get(UUID.fromString(message.body().getString("id")));
      if (attempt != null) {
        attempt.stop(new JobFailure("canceled", false));
      }
    });
    timer = vertx.setPeriodic(config.pollIntervalMs(), id -> wake());
    return vertx.executeBlocking(() -> {
      Files.createDirectories(workDir);
      lock = WorkDirLock.hold(workDir);
      WorkDirLock.removeAbandoned(config.workDir(), workDir);
      return null;
    });
  }

  /** Stops claiming and stops the running attempts (their jobs go back to the queue when their leases lapse). */
  public Future<Void> stop() {
    stopped = true;
    pass.stop();
    vertx.cancelTimer(timer);
    attempts.values().forEach(a -> a.stop(new JobFailure("the instance is stopping", true)));
    Future<Void> unregistered = cancels == null ? Future.succeededFuture() : cancels.unregister();
    return unregistered.compose(v -> vertx.executeBlocking(() -> {
      deleteTree(workDir);
      if (lock != null) {
        lock.close();
      }
      return null;
    }));
  }

  /** Looks for work now. */
  public void wake() {
    context.runOnContext(v -> pass.run());
  }

  private Future<Void> claimWhileFree() {
    if (stopped || attempts.size() >= config.concurrency()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(tx -> jobs.claim(tx, owner, now(), config.leaseSeconds())
      .compose(claimed -> claimed.isEmpty() ? Future.succeededFuture(claimed)
        : events.emit(tx, JobEvents.STARTED, claimed.get()).map(claimed)))
      .compose(claimed -> {
        if (claimed.isEmpty()) {
          return Future.succeededFuture();
        }
        execute(claimed.get());
        return claimWhileFree();
      });
  }

  private void execute(Job job) {
    Work work = works.get(job.type());
    Path dir = workDir.resolve(job.id() + "-" + job.attempts());
    Attempt attempt = new Attempt(job, dir, ffmpeg, context, output -> publish(job, output));
    attempts.put(job.id(), attempt);
    Ticker ticker = new Ticker(job, attempt);
    long tick = vertx.setPeriodic(config.progressIntervalMs(), id -> ticker.tick());
    LOG.info("job {} ({} of media {}) attempt {} started", job.id(), job.type(), job.mediaId(), job.attempts());
    vertx.executeBlocking(() -> {
        deleteTree(dir);
        Files.createDirectories(dir);
        return null;
      }).compose(v -> work.cleanup(job))
      .compose(v -> work.run(attempt))
      .transform(ar -> {
        vertx.cancelTimer(tick);
        return finish(job, work, attempt, ar.succeeded() ? ar.result() : null, ar.cause());
      })
      .onComplete(ar -> {
        attempts.remove(job.id());
        vertx.executeBlocking(() -> {
          deleteTree(dir);
          return null;
        });
        if (ar.failed()) {
          LOG.warn("job {} could not be finished (its lease will lapse and it will be recovered): {}", job.id(),
            ar.cause().getMessage());
        }
        wake();
      });
  }

  private Future<Void> finish(Job job, Work work, Attempt attempt, Work.Result result, Throwable err) {
    JobFailure stop = attempt.stopped();
    if (result != null && stop == null) {
      return pool.withTransaction(tx -> jobs.succeed(tx, job.id(), owner, result.output(), result.expiresAt(), now())
        .compose(done -> done.isEmpty() ? Future.succeededFuture(done)
          : events.emit(tx, JobEvents.COMPLETED, done.get()).map(done)))
        .compose(done -> {
          if (done.isEmpty()) {
            return lost(job, work);
          }
          announce(done.get());
          LOG.info("job {} succeeded after {} attempt(s)", job.id(), job.attempts());
          return Future.succeededFuture();
        });
    }
    JobFailure failure = stop != null ? stop : err instanceof JobFailure f ? f
      : new JobFailure(reason(err), true);
    if (failure.getMessage().equals("canceled")) {
      return lost(job, work);
    }
    if (!(err instanceof JobFailure) && stop == null) {
      LOG.warn("job {} attempt {} failed unexpectedly", job.id(), job.attempts(), err);
    }
    if (failure.retryable() && job.attempts() < config.maxAttempts() && !stopped) {
      OffsetDateTime now = now();
      long delay = config.backoffMs(job.attempts());
      LOG.info("job {} attempt {} failed ({}); retrying in {} ms", job.id(), job.attempts(), failure.getMessage(),
        delay);
      return pool.withTransaction(tx -> jobs.requeue(tx, job.id(), owner, failure.getMessage(),
          now.plusNanos(delay * 1_000_000), false, now))
        .compose(requeued -> requeued.isEmpty() ? lost(job, work) : Future.succeededFuture());
    }
    if (stopped) {
      // the instance is stopping: the lease lapses and another instance recovers the job
      return Future.succeededFuture();
    }
    LOG.info("job {} failed after {} attempt(s): {}", job.id(), job.attempts(), failure.getMessage());
    return pool.withTransaction(tx -> jobs.end(tx, job.id(), owner, JobStatus.FAILED, failure.getMessage(), true, now())
        .compose(failed -> failed.isEmpty() ? Future.succeededFuture(failed)
          : events.emit(tx, JobEvents.FAILED, failed.get()).map(failed)))
      .compose(failed -> {
        failed.ifPresent(this::announce);
        return cleanup(job, work);
      });
  }

  /** The job is no longer this instance's: when it was canceled, what it stored is removed. */
  private Future<Void> lost(Job job, Work work) {
    return jobs.placed(pool, job.id()).compose(now -> {
      if (now.isPresent() && now.get().job().status() == JobStatus.CANCELED) {
        LOG.info("job {} canceled: removing what it stored", job.id());
        return cleanup(job, work);
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> cleanup(Job job, Work work) {
    return work.cleanup(job).compose(v -> jobs.cleaned(pool, job.id()));
  }

  private Future<Void> publish(Job job, JsonObject output) {
    return pool.withTransaction(tx -> jobs.output(tx, job.id(), owner, output, now())
        .compose(updated -> updated.isEmpty() ? Future.succeededFuture(updated)
          : events.emit(tx, JobEvents.PROGRESSED, updated.get()).map(updated)))
      .compose(updated -> updated.isEmpty()
        ? Future.failedFuture(new JobFailure("canceled", false)) : Future.succeededFuture());
  }

  /** Tells listeners (the gateway's progress streams) where a job is now. */
  private void announce(Job job) {
    vertx.eventBus().publish(ProcessingApi.progressAddress(job.id()), job.toJson());
  }

  /** Writes a running job's progress, renews its lease, publishes it, and is the watchdog. */
  private final class Ticker {
    private final Job job;
    private final Attempt attempt;
    private final long startedMs = clock.millis();
    private long movedAtMs = clock.millis();
    private boolean writing;

    Ticker(Job job, Attempt attempt) {
      this.job = job;
      this.attempt = attempt;
    }

    void tick() {
      if (writing || attempt.stopped() != null) {
        return;
      }
      long nowMs = clock.millis();
      boolean moved = attempt.takeMoved();
      if (moved) {
        movedAtMs = nowMs;
      } else if (nowMs - movedAtMs > config.stallSeconds() * 1000) {
        LOG.warn("job {} has not moved for {} s: stopping it", job.id(), config.stallSeconds());
        attempt.stop(JobFailure.fatal("stuck: no progress for " + config.stallSeconds() + " s"));
        return;
      }
      double percent = attempt.percent();
      Integer eta = percent >= 1 ? (int) Math.round((nowMs - startedMs) / 1000.0 * (100 - percent) / percent) : null;
      writing = true;
      jobs.progress(pool, job.id(), owner, attempt.phase(), percent, eta, moved, now(), config.leaseSeconds())
        .onComplete(ar -> {
          writing = false;
          if (ar.succeeded() && !ar.result()) {
            attempt.stop(new JobFailure("canceled", false));
          } else if (ar.succeeded() && moved) {
            vertx.eventBus().publish(ProcessingApi.progressAddress(job.id()), running(job, attempt, percent, eta));
          } else if (ar.failed()) {
            LOG.warn("progress of job {} not written: {}", job.id(), ar.cause().getMessage());
          }
        });
    }
  }

  private static JsonObject running(Job job, Attempt attempt, double percent, Integer eta) {
    return job.toJson().put("status", JobStatus.RUNNING.name()).put("phase", attempt.phase().name())
      .put("percent", Math.round(percent * 10) / 10.0).put("etaSeconds", eta);
  }

  /** RUNNING jobs whose instance stopped renewing: back to QUEUED at once, or FAILED when out of attempts. */
  private Future<Void> recoverExpired() {
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> jobs.lockExpired(tx, now, 20).compose(expired -> {
      Future<Void> chain = Future.succeededFuture();
      for (Job job : expired) {
        String error = "interrupted: the instance running it stopped";
        chain = chain.compose(v -> (job.attempts() < config.maxAttempts()
          ? jobs.requeue(tx, job.id(), null, error, now, false, now)
          : jobs.end(tx, job.id(), null, JobStatus.FAILED, error, true, now)
            .compose(failed -> events.emit(tx, JobEvents.FAILED, failed.orElseThrow()).map(failed)))
          .onSuccess(j -> j.ifPresent(r -> LOG.warn("job {} recovered after its lease lapsed: now {}", r.id(),
            r.status())))
          .mapEmpty());
      }
      return chain;
    }));
  }

  /** Removes what canceled or failed jobs left when the instance that ran them is gone. */
  private Future<Void> sweep() {
    return pool.withTransaction(tx -> jobs.lockUncleaned(tx, now(), 10).compose(jobsLeft -> {
      Future<Void> chain = Future.succeededFuture();
      for (Job job : jobsLeft) {
        if (attempts.containsKey(job.id())) {
          continue;
        }
        chain = chain.compose(v -> works.get(job.type()).cleanup(job)).compose(v -> jobs.cleaned(tx, job.id()));
      }
      return chain;
    }));
  }

  private OffsetDateTime now() {
    return Times.now(clock);
  }

  static String reason(Throwable err) {
    if (err == null) {
      return "unknown failure";
    }
    Throwable cause = err.getCause() != null && err.getMessage() != null && err.getMessage().startsWith("java.")
      ? err.getCause() : err;
    String message = cause.getMessage();
    return "storage or system error: " + (message == null ? cause.getClass().getSimpleName() : message);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
