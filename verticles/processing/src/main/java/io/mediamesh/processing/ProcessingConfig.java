package io.mediamesh.processing;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The processing service's settings ({@code services.processing.*}), read once.
 *
 * @param concurrency        jobs (each one FFmpeg process at a time) run at once by this instance; 0 = the cores
 * @param ffmpegPath         the ffmpeg binary; empty: found on the PATH ({@code MEDIAMESH_PROCESSING_FFMPEG_PATH})
 * @param ffprobePath        the ffprobe binary; empty: found on the PATH
 * @param workDir            where sources and outputs are kept on disk while a job runs; empty: the system's temp
 * @param preset             the x264 preset (speed against size at equal quality; "veryfast" by default)
 * @param segmentSeconds     HLS segment length (4 to 6 s; key frames every {@link #KEYFRAME_SECONDS})
 * @param pollIntervalMs     how often an idle instance looks for queued jobs
 * @param leaseSeconds       how long a RUNNING job's claim lasts without renewal (then another instance takes it)
 * @param progressIntervalMs how often progress is written and published while a job runs
 * @param stallSeconds       the watchdog: a job whose progress has not moved for this long fails
 * @param maxAttempts        attempts of a job whose failures may pass (storage down, process killed)
 * @param initialBackoffMs   the first retry's delay, doubled each attempt up to {@code maxBackoffMs}
 * @param maxFrames          the most images one frames job may produce
 * @param framesRetention    how long a frames ZIP is kept ({@code expiresAt})
 * @param presignTtl         how long a ZIP's presigned download URL is valid when read
 */
public record ProcessingConfig(int concurrency, String ffmpegPath, String ffprobePath, Path workDir, String preset,
                               int segmentSeconds, long pollIntervalMs, long leaseSeconds, long progressIntervalMs,
                               long stallSeconds, int maxAttempts, long initialBackoffMs, long maxBackoffMs,
                               int maxFrames, Duration framesRetention, Duration presignTtl) {

  public static final int KEYFRAME_SECONDS = 2;

  public static ProcessingConfig from(JsonObject raw) {
    int concurrency = raw.getInteger("concurrency", 0);
    String work = raw.getString("workDir", "");
    ProcessingConfig c = new ProcessingConfig(
      concurrency <= 0 ? Runtime.getRuntime().availableProcessors() : concurrency,
      raw.getString("ffmpegPath", ""), raw.getString("ffprobePath", ""),
      work.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "mediamesh-processing") : Path.of(work),
      raw.getString("preset", "veryfast"), raw.getInteger("segmentSeconds", 6), raw.getLong("pollIntervalMs", 500L),
      raw.getLong("leaseSeconds", 60L), raw.getLong("progressIntervalMs", 1000L), raw.getLong("stallSeconds", 600L),
      raw.getInteger("maxAttempts", 3), raw.getLong("initialBackoffMs", 5_000L), raw.getLong("maxBackoffMs", 300_000L),
      raw.getInteger("maxFrames", 10_000), Duration.ofDays(raw.getInteger("framesRetentionDays", 7)),
      Duration.ofSeconds(raw.getInteger("presignTtlSeconds", 900)));
    if (c.segmentSeconds < 4 || c.segmentSeconds > 6 || c.segmentSeconds % KEYFRAME_SECONDS != 0) {
      throw new ConfigException("services.processing.segmentSeconds must be 4 or 6 (whole key-frame intervals)");
    }
    if (c.pollIntervalMs < 10 || c.leaseSeconds < 2 || c.progressIntervalMs < 50 || c.stallSeconds < 1
      || c.maxAttempts < 1 || c.initialBackoffMs < 0 || c.maxBackoffMs < c.initialBackoffMs || c.maxFrames < 1
      || c.framesRetention.isNegative() || c.presignTtl.toSeconds() < 1) {
      throw new ConfigException("config 'services.processing' has a value out of range: " + c);
    }
    return c;
  }

  /** The delay before attempt {@code attempts + 1}: doubling from the initial backoff, capped. */
  public long backoffMs(int attempts) {
    return io.mediamesh.common.runtime.Backoff.doubling(initialBackoffMs, maxBackoffMs, attempts);
  }
}
