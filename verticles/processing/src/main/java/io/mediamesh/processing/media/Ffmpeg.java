package io.mediamesh.processing.media;

import io.mediamesh.processing.jobs.JobFailure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;

/**
 * FFmpeg and ffprobe as processes: found at the configured paths or on the {@code PATH}, run on worker threads
 * (the event loop never waits for a process), progress read from {@code -progress pipe:1}, the last lines of
 * standard error kept for the reason of a failure, and a kill that stops a process at once (cancel, watchdog).
 */
public final class Ffmpeg {

  private static final int STDERR_LINES = 20;

  private final WorkerExecutor workers;
  private final String ffmpeg;
  private final String ffprobe;

  public Ffmpeg(WorkerExecutor workers, String ffmpeg, String ffprobe) {
    this.workers = workers;
    this.ffmpeg = ffmpeg;
    this.ffprobe = ffprobe;
  }

  /** An executable at {@code configured} when given, else {@code name} found on the PATH. */
  public static Optional<String> locate(String configured, String name) {
    if (configured != null && !configured.isBlank()) {
      return Files.isExecutable(Path.of(configured)) ? Optional.of(configured) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Optional.of(Path.of(dir, name).toString());
      }
    }
    return Optional.empty();
  }

  /** What ffprobe reads of {@code file}; a file it cannot read fails with a {@link JobFailure} that is final. */
  public Future<Probe> probe(Path file) {
    return output(List.of(ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
      file.toString())).map(out -> {
        if (out.exit() != 0) {
          throw JobFailure.fatal("the file cannot be read as audio or video: " + out.reason());
        }
        try {
          return Probe.parse(new JsonObject(out.stdout()));
        } catch (DecodeException | IllegalArgumentException e) {
          throw JobFailure.fatal("the file cannot be read as audio or video: " + e.getMessage());
        }
      });
  }

  /**
   * The longest gap between the video's key frames in seconds (only key frames are decoded), or infinity when it
   * cannot be told.
   */
  public Future<Double> longestKeyframeGap(Path file, double durationSeconds) {
    return output(List.of(ffprobe, "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
      "-show_entries", "frame=pts_time", "-of", "csv=p=0", file.toString())).map(out -> {
        if (out.exit() != 0) {
          return Double.POSITIVE_INFINITY;
        }
        double previous = 0;
        double longest = 0;
        int count = 0;
        for (String line : out.stdout().split("\n")) {
          String t = line.strip().replace(",", "");
          if (t.isEmpty() || t.equals("N/A")) {
            continue;
          }
          double time = Double.parseDouble(t);
          longest = Math.max(longest, time - previous);
          previous = time;
          count++;
        }
        return count == 0 ? Double.POSITIVE_INFINITY : Math.max(longest, durationSeconds - previous);
      });
  }

  /**
   * Starts FFmpeg with {@code args} (after the binary and {@code -progress pipe:1 -nostats}), reporting the fraction
   * of {@code durationSeconds} done to {@code progress} on {@code context}.
   */
  public Run run(List<String> args, double durationSeconds, Context context, DoubleConsumer progress) {
    List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1",
      "-nostats", "-loglevel", "error"));
    command.addAll(args);
    return new Run(command, durationSeconds, context, progress);
  }

  /** One FFmpeg process: {@link #done()} completes when it exits 0, fails with its reason otherwise. */
  public final class Run {
    private final Promise<Void> done = Promise.promise();
    private volatile Process process;
    private volatile boolean killed;

    private Run(List<String> command, double durationSeconds, Context context, DoubleConsumer progress) {
      workers.<Void>executeBlocking(() -> {
        Process p;
        synchronized (this) {
          if (killed) {
            throw new JobFailure("canceled", false);
          }
          p = new ProcessBuilder(command).start();
          process = p;
        }
        StderrTail stderr = new StderrTail(p);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) {
            if (line.startsWith("out_time_us=") && durationSeconds > 0) {
              double fraction = micros(line.substring("out_time_us=".length())) / 1e6 / durationSeconds;
              double clamped = Math.max(0, Math.min(1, fraction));
              context.runOnContext(v -> progress.accept(clamped));
            }
          }
        }
        int exit = p.waitFor();
        if (exit != 0) {
          if (killed) {
            throw new JobFailure("canceled", false);
          }
          String reason = stderr.text();
          // killed by a signal (out of memory, the machine shutting down) may pass; a refusal of the input will not
          throw new JobFailure("ffmpeg failed (exit " + exit + "): " + (reason.isBlank() ? "no output" : reason),
            exit > 128);
        }
        return null;
      }, false).onComplete(done);
    }

    public Future<Void> done() {
      return done.future();
    }

    /** Stops the process now (SIGTERM, then SIGKILL if it lingers); {@link #done()} then fails as canceled. */
    public void kill() {
      Process p;
      synchronized (this) {
        killed = true;
        p = process;
      }
      if (p != null && p.isAlive()) {
        p.destroy();
        try {
          if (!p.waitFor(2, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
        }
      }
    }
  }

  private record Output(int exit, String stdout, String reason) {
  }

  private Future<Output> output(List<String> command) {
    return workers.executeBlocking(() -> {
      Process p = new ProcessBuilder(command).start();
      StderrTail stderr = new StderrTail(p);
      String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      return new Output(exit, stdout, stderr.text());
    }, false);
  }

  /** The last lines of a process's standard error, read on a thread of its own so the pipe never fills. */
  private static final class StderrTail {
    private final Deque<String> lines = new ArrayDeque<>();
    private final Thread reader;

    StderrTail(Process p) {
      reader = new Thread(() -> {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
          StandardCharsets.UTF_8))) {
          String line;
          while ((line = err.readLine()) != null) {
            synchronized (lines) {
              lines.addLast(line.length() > 300 ? line.substring(0, 300) : line);
              if (lines.size() > STDERR_LINES) {
                lines.removeFirst();
              }
            }
          }
        } catch (IOException e) {
          // the process was killed: what was read is all there is
        }
      }, "ffmpeg-stderr");
      reader.setDaemon(true);
      reader.start();
    }

    /** The lines read, once the process has exited and its error stream is drained. */
    String text() throws InterruptedException {
      reader.join(2_000);
      synchronized (lines) {
        return String.join(" | ", lines);
      }
    }
  }

  private static double micros(String value) {
    try {
      return Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
