package io.mediamesh.ingest;

import io.mediamesh.common.api.ById;
import io.mediamesh.common.api.IngestApi;
import io.mediamesh.common.api.IngestApi.JobStatus;
import io.mediamesh.common.api.IngestMapping;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.validation.Paging;
import io.mediamesh.ingest.domain.FeedUrl;
import io.mediamesh.ingest.domain.Job;
import io.mediamesh.ingest.domain.Source;
import io.mediamesh.common.db.Times;
import io.mediamesh.ingest.persistence.JobRepository;
import io.mediamesh.ingest.persistence.SourceRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The bus operations of {@code IngestApi} (requests arrive read and validated by its records): jobs and sources
 * stored; the work itself is the {@code JobRunner}'s, woken when a job is created.
 */
public final class IngestService {

  private final Pool pool;
  private final Clock clock;
  private final Runnable wakeRunner;
  private final JobRepository jobs = new JobRepository();
  private final SourceRepository sources = new SourceRepository();

  public IngestService(Pool pool, Clock clock, Runnable wakeRunner) {
    this.pool = pool;
    this.clock = clock;
    this.wakeRunner = wakeRunner;
  }

  // ---- jobs ---------------------------------------------------------------------------------------------------

  public Future<JsonObject> createJob(Caller caller, IngestApi.JobCreate request) {
    Job job = Job.pending(null, request.sourceType(), request.sourceUrl().toString(),
      FeedUrl.feedKey(request.sourceType(), request.sourceUrl()), stored(request.mapping()), caller.userId(),
      Times.now(clock));
    return jobs.insert(pool, job).map(v -> {
      wakeRunner.run();
      return job.toJson();
    });
  }

  public Future<JsonObject> getJob(ById request) {
    return jobs.byId(pool, request.id()).map(j -> j.orElseThrow(() -> ServiceException.notFound("job")).toJson());
  }

  public Future<JsonObject> listJobs(IngestApi.JobList request) {
    JobStatus status = request.status();
    UUID sourceId = request.sourceId();
    Paging paging = Paging.of(request.page(), JobRepository.SORTABLE);
    return jobs.list(pool, status, sourceId, paging).compose(items -> jobs.count(pool, status, sourceId)
      .map(total -> paging.answer(items.stream().map(Job::toJson).toList(), total)));
  }

  /** Removes a job's record (what it imported stays in the CMS); a RUNNING job cannot be deleted. */
  public Future<JsonObject> deleteJob(ById request) {
    UUID id = request.id();
    return pool.withTransaction(tx -> jobs.lock(tx, id).compose(found -> {
      Job job = found.orElseThrow(() -> ServiceException.notFound("job"));
      if (job.status() == JobStatus.RUNNING) {
        throw ServiceException.conflict("job is running; delete it once it has finished");
      }
      return jobs.delete(tx, id);
    })).map(v -> new JsonObject());
  }

  /** A FAILED job back to PENDING, due now, with a fresh set of attempts. */
  public Future<JsonObject> retryJob(ById request) {
    UUID id = request.id();
    return pool.withTransaction(tx -> jobs.lock(tx, id).compose(found -> {
      Job job = found.orElseThrow(() -> ServiceException.notFound("job"));
      if (job.status() != JobStatus.FAILED) {
        throw ServiceException.conflict("only a FAILED job can be retried; this one is " + job.status());
      }
      return jobs.requeue(tx, id, null, Times.now(clock), 0, true);
    })).map(job -> {
      wakeRunner.run();
      return job.toJson();
    });
  }

  // ---- sources ------------------------------------------------------------------------------------------------

  /** A source runs now, then every {@code intervalSeconds} when given (once otherwise), while enabled. */
  public Future<JsonObject> createSource(Caller caller, IngestApi.SourceCreate request) {
    OffsetDateTime now = Times.now(clock);
    boolean on = request.enabled() == null || request.enabled();
    Source source = new Source(UUID.randomUUID(), request.type(), request.url().toString(),
      FeedUrl.feedKey(request.type(), request.url()), stored(request.mapping()), request.intervalSeconds(), on,
      on ? now : null, caller.userId(), now, now);
    return sources.insert(pool, source).map(v -> source.toJson());
  }

  public Future<JsonObject> listSources(IngestApi.SourceList request) {
    Paging paging = new Paging(request.page().page(), request.page().size(), null);
    return sources.list(pool, paging.size(), paging.offset()).compose(items -> sources.count(pool)
      .map(total -> paging.answer(items.stream().map(Source::toJson).toList(), total)));
  }

  /** Stops the schedule and removes the source; its jobs and what they imported stay. */
  public Future<JsonObject> deleteSource(ById request) {
    return sources.delete(pool, request.id()).map(deleted -> {
      if (!deleted) {
        throw ServiceException.notFound("source");
      }
      return new JsonObject();
    });
  }

  /** The mapping as stored: null when there is none. */
  private static JsonObject stored(IngestMapping mapping) {
    return mapping.isEmpty() ? null : mapping.toJson();
  }
}
