package io.mediamesh.processing;

import io.mediamesh.common.api.ProcessingApi;
import io.mediamesh.common.api.ProcessingApi.JobType;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.events.BatchEventHandler.AfterCommit;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.processing.jobs.Job;
import io.mediamesh.processing.jobs.JobEvents;
import io.mediamesh.processing.jobs.JobRunner;
import io.mediamesh.processing.media.Ffmpeg;
import io.mediamesh.processing.work.FramesWork;
import io.mediamesh.processing.work.TranscodeWork;
import io.mediamesh.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The processing service: jobs on media assets (HLS ladders, posters, storyboards, frames) run with FFmpeg in
 * processes of their own. Owns {@code processing_db}; reads and writes the bucket under each asset's prefix; emits
 * {@code processing.*}. Its readiness includes storage and the FFmpeg and ffprobe binaries. API: {@link ProcessingApi}.
 */
public final class ProcessingModule implements ServiceModule {

  public static final String NAME = ProcessingApi.SERVICE;

  private Storage storage;
  private JobRunner runner;
  private WorkerExecutor workers;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Dependency> dependencies() {
    return EnumSet.of(Dependency.POSTGRES, Dependency.KAFKA);
  }

  @Override
  public List<String> topics() {
    return List.of(Topics.PROCESSING);
  }

  @Override
  public Future<Void> start(ServiceContext ctx) {
    ProcessingConfig config;
    try {
      config = ProcessingConfig.from(ctx.config().raw());
      storage = Storage.create(ctx.platform().s3());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Optional<String> ffmpegPath = Ffmpeg.locate(config.ffmpegPath(), "ffmpeg");
    Optional<String> ffprobePath = Ffmpeg.locate(config.ffprobePath(), "ffprobe");
    ctx.readiness().register("ffmpeg", p -> p.complete(binaries(ffmpegPath, ffprobePath, config)));
    ctx.readiness().register("storage", 2_000, p -> Future.fromCompletionStage(storage.headBucket())
      .onComplete(ar -> p.complete(ar.succeeded() ? Status.OK()
        : Status.KO(new JsonObject().put("reason", String.valueOf(ar.cause().getMessage()))))));

    // one thread per running FFmpeg (it reads the progress) and a few for probes and files
    workers = ctx.vertx().createSharedWorkerExecutor("processing-ffmpeg-" + UUID.randomUUID(),
      config.concurrency() * 2 + 2, 24, TimeUnit.HOURS);
    Ffmpeg ffmpeg = new Ffmpeg(workers, ffmpegPath.orElse("ffmpeg"), ffprobePath.orElse("ffprobe"));
    JobEvents events = new JobEvents();
    ProcessingService service = new ProcessingService(ctx.vertx(), ctx.pool(), ctx.bus(), storage, config,
      ctx.clock(), events);
    runner = new JobRunner(ctx.vertx(), ctx.pool(), config, ctx.clock(), ffmpeg,
      Map.of(JobType.TRANSCODE, new TranscodeWork(ctx.vertx(), storage, config),
        JobType.FRAMES, new FramesWork(ctx.vertx(), storage, config, ctx.clock())), events);
    service.runner(runner);

    ctx.busService()
      .handle(ProcessingApi.JOBS_LIST, service::list)
      .handle(ProcessingApi.JOBS_GET, (q, caller) -> service.get(q))
      .handle(ProcessingApi.JOBS_RETRY, service::retry)
      .handle(ProcessingApi.JOBS_CANCEL, service::cancel)
      .handle(ProcessingApi.FRAMES_CREATE, service::frames);

    return Future.fromCompletionStage(storage.ensureBucket(), ctx.vertx().getOrCreateContext())
      .compose(v -> runner.start())
      .compose(v -> ctx.consumeBatches("media", Set.of(Topics.MEDIA), (batch, tx) -> {
        Future<Void> chain = Future.succeededFuture();
        List<Job> canceled = new ArrayList<>();
        boolean[] queued = {false};
        for (EventEnvelope event : batch) {
          chain = chain.compose(x -> switch (event.type()) {
            case "media.uploaded" -> service.uploaded(tx, event.data()).map(q -> {
              queued[0] |= q;
              return null;
            });
            case "media.deleted" -> service.deleted(tx, mediaId(event)).map(c -> {
              canceled.addAll(c);
              return null;
            });
            default -> Future.<Void>succeededFuture();
          });
        }
        return chain.map(x -> (AfterCommit) () -> {
          service.afterDeleted(canceled);
          if (queued[0]) {
            service.wake();
          }
          return Future.succeededFuture();
        });
      }))
      .mapEmpty();
  }

  private static UUID mediaId(EventEnvelope event) {
    try {
      return UUID.fromString(event.subject());
    } catch (IllegalArgumentException e) {
      throw ServiceException.validation("subject", "is not a media id");
    }
  }

  private static Status binaries(Optional<String> ffmpeg, Optional<String> ffprobe, ProcessingConfig config) {
    if (ffmpeg.isPresent() && ffprobe.isPresent()) {
      return Status.OK(new JsonObject().put("ffmpeg", ffmpeg.get()).put("ffprobe", ffprobe.get()));
    }
    String missing = ffmpeg.isEmpty() && ffprobe.isEmpty() ? "ffmpeg and ffprobe" : ffmpeg.isEmpty() ? "ffmpeg"
      : "ffprobe";
    return Status.KO(new JsonObject().put("reason", missing + " not found (on the PATH or at "
      + "services.processing.ffmpegPath / ffprobePath: '" + config.ffmpegPath() + "', '" + config.ffprobePath()
      + "'); install FFmpeg, e.g. apt-get install -y ffmpeg"));
  }

  @Override
  public Future<Void> stop() {
    Future<Void> stopped = runner == null ? Future.succeededFuture() : runner.stop();
    return stopped.onComplete(ar -> {
      if (workers != null) {
        workers.close();
      }
      if (storage != null) {
        storage.close();
      }
    });
  }
}
