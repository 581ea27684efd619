package io.mediamesh.processing.jobs;

import io.mediamesh.common.api.ProcessingApi.Phase;
import io.mediamesh.processing.media.Ffmpeg;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One attempt of a job as its work sees it: a folder of its own on disk, progress to report, intermediate outputs
 * to publish, and FFmpeg runs that a cancel or the watchdog stops at once. Call its methods on the service's
 * context.
 */
public final class Attempt {

  private final Job job;
  private final Path dir;
  private final Ffmpeg ffmpeg;
  private final io.vertx.core.Context context;
  private final Function<JsonObject, Future<Void>> publisher;
  private Phase phase = Phase.PROBING;
  private double percent;
  private boolean moved;
  private Ffmpeg.Run current;
  private JobFailure stopped;

  Attempt(Job job, Path dir, Ffmpeg ffmpeg, io.vertx.core.Context context,
          Function<JsonObject, Future<Void>> publisher) {
    this.job = job;
    this.dir = dir;
    this.ffmpeg = ffmpeg;
    this.context = context;
    this.publisher = publisher;
  }

  public Job job() {
    return job;
  }

  /** This attempt's folder (empty at the start, removed at the end). */
  public Path dir() {
    return dir;
  }

  public Ffmpeg ffmpeg() {
    return ffmpeg;
  }

  public void phase(Phase phase) {
    if (this.phase != phase) {
      this.phase = phase;
      moved = true;
    }
  }

  /** The whole job's progress, 0 to 100; never goes back. */
  public void percent(double value) {
    double p = Math.max(0, Math.min(100, value));
    if (p > percent) {
      percent = p;
      moved = true;
    }
  }

  /** Publishes an output the job has so far (a rung ready), with its event; fails when the job is not ours. */
  public Future<Void> publish(JsonObject output) {
    return stopped != null ? Future.failedFuture(stopped) : publisher.apply(output);
  }

  /**
   * Runs FFmpeg over {@code durationSeconds} of media, its progress mapped onto {@code [from, to]} of the job's
   * percent; a stopped attempt starts nothing.
   */
  public Future<Void> ffmpeg(List<String> args, double durationSeconds, double from, double to) {
    if (stopped != null) {
      return Future.failedFuture(stopped);
    }
    Ffmpeg.Run run = ffmpeg.run(args, durationSeconds, context, f -> percent(from + (to - from) * f));
    current = run;
    return run.done().<Void>transform(ar -> {
      current = null;
      if (stopped != null) {
        return Future.failedFuture(stopped);
      }
      return ar.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ar.cause());
    }).onSuccess(v -> percent(to));
  }

  /** Fails the next step (and kills the running process) with {@code reason}: a cancel or the watchdog. */
  public void stop(JobFailure reason) {
    if (stopped == null) {
      stopped = reason;
    }
    Ffmpeg.Run run = current;
    if (run != null) {
      // killing waits for the process to exit: not on the event loop
      context.owner().executeBlocking(() -> {
        run.kill();
        return null;
      }, false);
    }
  }

  /** The failure that stopped this attempt, or null. */
  public JobFailure stopped() {
    return stopped;
  }

  /** A step that fails at once when the attempt was stopped, so work ends at the next boundary. */
  public Future<Void> checkpoint() {
    return stopped != null ? Future.failedFuture(stopped) : Future.succeededFuture();
  }

  Phase phase() {
    return phase;
  }

  double percent() {
    return percent;
  }

  /** Whether the job moved since the last call. */
  boolean takeMoved() {
    boolean m = moved;
    moved = false;
    return m;
  }
}
