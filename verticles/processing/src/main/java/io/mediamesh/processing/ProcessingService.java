package io.mediamesh.processing;

import io.mediamesh.common.api.ById;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.api.ProcessingApi.FramesCreate;
import io.mediamesh.common.api.ProcessingApi.JobList;
import io.mediamesh.common.api.ProcessingApi.JobStatus;
import io.mediamesh.common.api.ProcessingApi.JobType;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.db.Times;
import io.mediamesh.common.validation.Paging;
import io.mediamesh.processing.jobs.Job;
import io.mediamesh.processing.jobs.JobEvents;
import io.mediamesh.processing.jobs.JobRepository;
import io.mediamesh.processing.jobs.JobRunner;
import io.mediamesh.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The processing service's operations (see {@code ProcessingApi}) and its reactions to media's events: an uploaded
 * video or audio asset queues its transcode, a deleted one cancels its jobs.
 */
final class ProcessingService {

  /** Who queued the jobs that media's events start. */
  static final String SYSTEM = "media.uploaded";

  private final Vertx vertx;
  private final Pool pool;
  private final BusClient bus;
  private final Storage storage;
  private final ProcessingConfig config;
  private final Clock clock;
  private final JobEvents events;
  private final JobRepository jobs = new JobRepository();
  private JobRunner runner;

  ProcessingService(Vertx vertx, Pool pool, BusClient bus, Storage storage, ProcessingConfig config, Clock clock,
                    JobEvents events) {
    this.vertx = vertx;
    this.pool = pool;
    this.bus = bus;
    this.storage = storage;
    this.config = config;
    this.clock = clock;
    this.events = events;
  }

  void runner(JobRunner runner) {
    this.runner = runner;
  }

  Future<JsonObject> list(JobList q, Caller caller) {
    Paging paging = Paging.of(q.page(), JobRepository.SORTABLE);
    return jobs.list(pool, q, caller.userId(), paging).compose(items -> jobs.count(pool, q, caller.userId())
      .map(total -> paging.answer(items.stream().map(this::view).toList(), total)));
  }

  Future<JsonObject> get(ById q) {
    return jobs.placed(pool, q.id()).map(found -> view(found.orElseThrow(() -> ServiceException.notFound("job"))));
  }

  /** A FAILED or CANCELED job queued again with a fresh set of attempts. */
  Future<JsonObject> retry(ById q, Caller caller) {
    return pool.withTransaction(tx -> jobs.lock(tx, q.id()).compose(found -> {
        Job job = found.orElseThrow(() -> ServiceException.notFound("job"));
        if (job.status() != JobStatus.FAILED && job.status() != JobStatus.CANCELED) {
          throw ServiceException.conflict("only a FAILED or CANCELED job can be retried; this one is " + job.status());
        }
        return jobs.cleanupPending(tx, job.id()).compose(pending -> {
          if (pending) {
            throw ServiceException.conflict("the job's files are still being removed; retry in a moment");
          }
          OffsetDateTime now = Times.now(clock);
          return jobs.requeue(tx, job.id(), null, job.error(), now, true, now);
        });
      }))
      .recover(err -> err instanceof PgException pg && "23505".equals(pg.getSqlState())
        ? Future.failedFuture(ServiceException.conflict("another transcode of this asset is queued or running"))
        : Future.failedFuture(err))
      .compose(requeued -> {
        runner.wake();
        return get(new ById(q.id()));
      });
  }

  /** Cancels a QUEUED or RUNNING job: its FFmpeg is killed and what it stored removed. */
  Future<JsonObject> cancel(ById q, Caller caller) {
    return pool.withTransaction(tx -> jobs.lock(tx, q.id()).compose(found -> {
      Job job = found.orElseThrow(() -> ServiceException.notFound("job"));
      if (job.status().finished()) {
        throw ServiceException.conflict("the job is already " + job.status());
      }
      return cancel(tx, job, "canceled by " + caller.userId());
    })).map(job -> {
      afterCancel(job);
      return job.toJson();
    });
  }

  private Future<Job> cancel(SqlConnection tx, Job job, String reason) {
    boolean running = job.status() == JobStatus.RUNNING;
    return jobs.end(tx, job.id(), null, JobStatus.CANCELED, reason, running, Times.now(clock))
      .map(ended -> ended.orElseThrow())
      .compose(ended -> events.emit(tx, JobEvents.CANCELED, ended).map(ended));
  }

  private void afterCancel(Job job) {
    vertx.eventBus().publish(JobRunner.CANCEL_ADDRESS, new JsonObject().put("id", job.id().toString()));
    vertx.eventBus().publish(io.mediamesh.common.api.ProcessingApi.progressAddress(job.id()), job.toJson());
  }

  /** A frames job on a READY video the caller may read (media checks that with the caller's own token). */
  Future<JsonObject> frames(FramesCreate q, Caller caller) {
    return bus.<ById, JsonObject>send(MediaApi.GET, new ById(q.mediaId()), caller).compose(media -> {
      if (!"VIDEO".equals(media.getString("kind"))) {
        throw ServiceException.conflict("frames can only be taken from a video; this media is "
          + media.getString("kind"));
      }
      if (!"READY".equals(media.getString("status"))) {
        throw ServiceException.conflict("the video is not READY (" + media.getString("status") + ")");
      }
      JsonObject params = q.toJson().put("storageKey", media.getString("storageKey"));
      Job job = Job.queued(JobType.FRAMES, q.mediaId(), params, caller.userId(), Times.now(clock));
      return pool.withTransaction(tx -> jobs.insert(tx, job)).compose(v -> {
        runner.wake();
        return get(new ById(job.id()));
      });
    });
  }

  /** {@code media.uploaded} of a VIDEO or AUDIO asset: its transcode, queued once however often the event comes. */
  Future<Boolean> uploaded(SqlConnection tx, JsonObject asset) {
    String kind = asset.getString("kind");
    if (!"VIDEO".equals(kind) && !"AUDIO".equals(kind)) {
      return Future.succeededFuture(false);
    }
    JsonObject params = new JsonObject().put("storageKey", asset.getString("storageKey")).put("kind", kind)
      .put("mimeType", asset.getString("mimeType")).put("sizeBytes", asset.getLong("sizeBytes"))
      .put("contentId", asset.getString("contentId")).put("contentType", asset.getString("contentType"));
    Job job = Job.queued(JobType.TRANSCODE, UUID.fromString(asset.getString("id")), params, SYSTEM,
      Times.now(clock));
    return jobs.insert(tx, job);
  }

  /** {@code media.deleted}: the asset's unfinished jobs are canceled (media removes its objects). */
  Future<List<Job>> deleted(SqlConnection tx, UUID mediaId) {
    return jobs.lockUnfinished(tx, mediaId).compose(unfinished -> {
      Future<Void> chain = Future.succeededFuture();
      List<Job> out = new java.util.ArrayList<>();
      for (Job job : unfinished) {
        chain = chain.compose(v -> cancel(tx, job, "the media was deleted").onSuccess(out::add).mapEmpty());
      }
      return chain.map(out);
    });
  }

  void afterDeleted(List<Job> canceled) {
    canceled.forEach(this::afterCancel);
  }

  void wake() {
    runner.wake();
  }

  /** The API's Job; a frames ZIP that has not expired gets a download URL valid for a while. */
  private JsonObject view(JobRepository.Placed placed) {
    JsonObject json = placed.toJson();
    Job job = placed.job();
    JsonObject output = json.getJsonObject("output");
    if (job.type() == JobType.FRAMES && job.status() == JobStatus.SUCCEEDED && output != null
      && output.getString("zipKey") != null && job.expiresAt() != null) {
      Duration left = Duration.between(Times.now(clock), job.expiresAt());
      if (left.toSeconds() >= 1) {
        Duration ttl = left.compareTo(config.presignTtl()) < 0 ? left : config.presignTtl();
        output.put("zipUrl", storage.presignGet(output.getString("zipKey"), ttl, "application/zip"));
      }
    }
    return json;
  }
}
