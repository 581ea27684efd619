package io.mediamesh.ingest;

import io.mediamesh.common.api.Limits;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.validation.Fields;
import io.mediamesh.common.validation.Paging;
import io.mediamesh.ingest.domain.FeedUrl;
import io.mediamesh.ingest.domain.Job;
import io.mediamesh.ingest.domain.JobStatus;
import io.mediamesh.ingest.domain.Mapping;
import io.mediamesh.ingest.domain.Source;
import io.mediamesh.ingest.domain.SourceType;
import io.mediamesh.ingest.domain.Times;
import io.mediamesh.ingest.persistence.JobRepository;
import io.mediamesh.ingest.persistence.SourceRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The bus operations of {@code IngestApi}: requests are validated here (400 naming the field), jobs and sources
 * stored; the work itself is the {@code JobRunner}'s, woken when a job is created.
 */
public final class IngestService {


  private final Pool pool;
  private final IngestConfig config;
  private final Runnable wakeRunner;
  private final JobRepository jobs = new JobRepository();
  private final SourceRepository sources = new SourceRepository();

  public IngestService(Pool pool, IngestConfig config, Runnable wakeRunner) {
    this.pool = pool;
    this.config = config;
    this.wakeRunner = wakeRunner;
  }

  // ---- jobs ---------------------------------------------------------------------------------------------------

  public Future<JsonObject> createJob(Caller caller, JsonObject body) {
    Fields f = Fields.of(body);
    SourceType type = f.enumValue("sourceType", SourceType.class, true);
    URI url = url(f, "sourceUrl");
    Mapping mapping = type == null ? Mapping.NONE : Mapping.read(f, type);
    f.validate();
    Job job = Job.pending(null, type, url.toString(), FeedUrl.feedKey(type, url), mappingJson(mapping),
      caller.userId());
    return jobs.insert(pool, job).map(v -> {
      wakeRunner.run();
      return job.toJson();
    });
  }

  public Future<JsonObject> getJob(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return jobs.byId(pool, id).map(j -> j.orElseThrow(() -> ServiceException.notFound("job")).toJson());
  }

  public Future<JsonObject> listJobs(JsonObject body) {
    Fields f = Fields.of(body);
    JobStatus status = f.enumValue("status", JobStatus.class, false);
    UUID sourceId = f.uuid("sourceId", false);
    Paging paging = Paging.from(f, JobRepository.SORTABLE, "createdAt,desc");
    f.validate();
    return jobs.list(pool, status, sourceId, paging).compose(items -> jobs.count(pool, status, sourceId)
      .map(total -> paging.answer(items.stream().map(Job::toJson).toList(), total)));
  }

  /** Removes a job's record (what it imported stays in the CMS); a RUNNING job cannot be deleted. */
  public Future<JsonObject> deleteJob(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return pool.withTransaction(tx -> jobs.lock(tx, id).compose(found -> {
      Job job = found.orElseThrow(() -> ServiceException.notFound("job"));
      if (job.status() == JobStatus.RUNNING) {
        throw ServiceException.conflict("job is running; delete it once it has finished");
      }
      return jobs.delete(tx, id);
    })).map(v -> new JsonObject());
  }

  /** A FAILED job back to PENDING, due now, with a fresh set of attempts. */
  public Future<JsonObject> retryJob(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return pool.withTransaction(tx -> jobs.lock(tx, id).compose(found -> {
      Job job = found.orElseThrow(() -> ServiceException.notFound("job"));
      if (job.status() != JobStatus.FAILED) {
        throw ServiceException.conflict("only a FAILED job can be retried; this one is " + job.status());
      }
      return jobs.requeue(tx, id, null, 0, true);
    })).map(job -> {
      wakeRunner.run();
      return job.toJson();
    });
  }

  // ---- sources ------------------------------------------------------------------------------------------------

  /** A source runs now, then every {@code intervalSeconds} when given (once otherwise), while enabled. */
  public Future<JsonObject> createSource(Caller caller, JsonObject body) {
    Fields f = Fields.of(body);
    SourceType type = f.enumValue("type", SourceType.class, true);
    URI url = url(f, "url");
    Mapping mapping = type == null ? Mapping.NONE : Mapping.read(f, type);
    Integer interval = f.integer("intervalSeconds", null, config.minIntervalSeconds(), Limits.INTERVAL_MAX);
    Boolean enabled = f.bool("enabled");
    f.validate();
    OffsetDateTime now = Times.now();
    boolean on = enabled == null || enabled;
    Source source = new Source(UUID.randomUUID(), type, url.toString(), FeedUrl.feedKey(type, url),
      mappingJson(mapping), interval, on, on ? now : null, caller.userId(), now, now);
    return sources.insert(pool, source).map(v -> source.toJson());
  }

  public Future<JsonObject> listSources(JsonObject body) {
    Fields f = Fields.of(body);
    int page = f.integer("page", 0, 0, Limits.PAGE_MAX);
    int size = f.integer("size", 20, 1, Paging.MAX_SIZE);
    f.validate();
    return sources.list(pool, size, (long) page * size).compose(items -> sources.count(pool)
      .map(total -> new Paging(page, size, null).answer(items.stream().map(Source::toJson).toList(), total)));
  }

  /** Stops the schedule and removes the source; its jobs and what they imported stay. */
  public Future<JsonObject> deleteSource(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return sources.delete(pool, id).map(deleted -> {
      if (!deleted) {
        throw ServiceException.notFound("source");
      }
      return new JsonObject();
    });
  }

  private static URI url(Fields f, String field) {
    String value = f.string(field, true);
    if (value == null) {
      return null;
    }
    return FeedUrl.parse(value).orElseGet(() -> {
      f.problem(field, FeedUrl.problem());
      return null;
    });
  }

  private static JsonObject mappingJson(Mapping mapping) {
    JsonObject json = mapping.toJson();
    return json.isEmpty() ? null : json;
  }
}
