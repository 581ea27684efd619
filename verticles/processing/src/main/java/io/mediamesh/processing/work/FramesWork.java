package io.mediamesh.processing.work;

import io.mediamesh.common.api.ProcessingApi;
import io.mediamesh.common.api.ProcessingApi.Phase;
import io.mediamesh.common.db.Times;
import io.mediamesh.processing.ProcessingConfig;
import io.mediamesh.processing.jobs.Attempt;
import io.mediamesh.processing.jobs.Job;
import io.mediamesh.processing.jobs.JobFailure;
import io.mediamesh.processing.jobs.Work;
import io.mediamesh.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A FRAMES job: a frame every N seconds (or N a second) of the asset's video, zipped straight into storage at
 * {@code media/<id>/frames/<job>.zip}, kept until {@code expiresAt}; the job's output names the ZIP, and the service
 * presigns its download each time the job is read.
 */
public final class FramesWork implements Work {

  /** The ZIP is uploaded in parts of this size (S3's minimum is 5 MiB). */
  private static final int PART_SIZE = 8 * 1024 * 1024;
  private static final double PROBED = 3;
  private static final double EXTRACTED = 80;

  private final Vertx vertx;
  private final Outputs outputs;
  private final ProcessingConfig config;
  private final Clock clock;

  public FramesWork(Vertx vertx, Storage storage, ProcessingConfig config, Clock clock) {
    this.vertx = vertx;
    this.outputs = new Outputs(vertx, storage);
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<Void> cleanup(Job job) {
    String key = Outputs.framesKey(job.mediaId(), job.id());
    Storage storage = outputs.storage();
    return Future.fromCompletionStage(storage.abortUploads(key).thenCompose(v -> storage.delete(List.of(key))),
      vertx.getOrCreateContext());
  }

  @Override
  public Future<Result> run(Attempt attempt) {
    Job job = attempt.job();
    JsonObject p = job.params();
    Path source = attempt.dir().resolve("source");
    Path frames = attempt.dir().resolve("frames");
    // the request as the API read it (the job's params are its JSON, plus the source's key)
    ProcessingApi.FramesCreate request = ProcessingApi.FramesCreate.from(p);
    String ext = request.format().name().toLowerCase(Locale.ROOT);
    attempt.phase(Phase.PROBING);
    return Sources.download(outputs, p.getString("storageKey"), source)
      .compose(v -> attempt.ffmpeg().probe(source))
      .compose(probe -> {
        if (probe.video() == null) {
          return Future.failedFuture(JobFailure.fatal("the file has no video to take frames from"));
        }
        long expected = (long) Math.ceil(probe.durationSeconds() * request.perSecond());
        if (expected > config.maxFrames()) {
          return Future.failedFuture(JobFailure.fatal("would make " + expected + " frames, more than the "
            + config.maxFrames() + " a job may"));
        }
        attempt.percent(PROBED);
        attempt.phase(Phase.TRANSCODING);
        Integer width = request.width();
        String filter = "fps=" + request.rate() + (width != null && width < probe.video().width()
          ? ",scale=" + width + ":-2" : "");
        List<String> args = new ArrayList<>(List.of("-i", source.toString(), "-map", "0:v:0", "-vf", filter));
        if (ext.equals("jpg")) {
          args.addAll(List.of("-q:v", "3"));
        }
        args.add(frames.resolve("frame_%06d." + ext).toString());
        return vertx.executeBlocking(() -> Files.createDirectories(frames))
          .compose(v -> attempt.ffmpeg(args, probe.durationSeconds(), PROBED, EXTRACTED));
      })
      .compose(v -> attempt.checkpoint())
      .compose(v -> zip(attempt, frames));
  }

  private Future<Result> zip(Attempt attempt, Path frames) {
    Job job = attempt.job();
    String key = Outputs.framesKey(job.mediaId(), job.id());
    attempt.phase(Phase.UPLOADING);
    io.vertx.core.Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> {
      List<Path> files;
      try (Stream<Path> s = Files.list(frames)) {
        files = s.sorted().toList();
      }
      if (files.isEmpty()) {
        throw JobFailure.fatal("ffmpeg made no frames");
      }
      long bytes = ZipUpload.write(outputs.storage(), key, files, PART_SIZE, done -> context.runOnContext(x ->
        attempt.percent(EXTRACTED + (100 - EXTRACTED) * done / files.size())));
      return new long[] {files.size(), bytes};
    }).map(counts -> {
      OffsetDateTime expires = Times.now(clock).plus(config.framesRetention());
      return new Result(new JsonObject().put("zipKey", key).put("frames", counts[0]).put("bytes", counts[1])
        .put("expiresAt", Times.text(expires)), expires);
    });
  }
}
