package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.validation.Fields;
import io.mediamesh.common.validation.HttpUrls;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The ingest service's event-bus API. Access: ADMIN or EDITOR for everything; USER and anonymous callers are
 * refused (401 without a token, 403 with the USER role).
 * <pre>
 * address                            request                                                    reply
 * mediamesh.ingest.jobs.create       {sourceType, sourceUrl, mapping?}                          Job (PENDING; "201")
 * mediamesh.ingest.jobs.get          {id}                                                       Job
 * mediamesh.ingest.jobs.list         {status?, sourceId?, page?, size?, sort?}                  Page of Job
 * mediamesh.ingest.jobs.delete       {id}                                                       {} ("204")
 * mediamesh.ingest.jobs.retry        {id}                                                       Job (PENDING again)
 * mediamesh.ingest.sources.create    {type, url, mapping?, intervalSeconds?, enabled?}          Source ("201")
 * mediamesh.ingest.sources.list      {page?, size?}                                             Page of Source
 * mediamesh.ingest.sources.delete    {id}                                                       {} ("204")
 *
 * Job     = {id, sourceType: RSS|YOUTUBE|API, sourceUrl, status: PENDING|RUNNING|COMPLETED|FAILED, attempts,
 *            itemsImported, itemsUpdated, itemsSkipped, programId, error, createdAt, updatedAt,
 *            sourceId, createdBy, nextAttemptAt, startedAt, finishedAt, version}
 * Source  = {id, type, url, mapping, intervalSeconds, enabled, nextRunAt, createdBy, createdAt, updatedAt}
 * Page    = {items, page, size, total}; page counts from 0, size 1..100 (default 20); jobs sort = "field" or
 *           "field,asc|desc" over createdAt, updatedAt, status (default createdAt,desc); sources newest first.
 * mapping = optional for RSS and YOUTUBE, required for API:
 *           {items: pointer to the array of items (API),
 *            program: {title, description?, language?, imageUrl?}   (JSON Pointers from the document root, API),
 *            item: {id, title, description?, durationSeconds?, seasonNumber?, episodeNumber?, publishedAt?,
 *                   imageUrl?, mediaUrl?, tags?}                      (JSON Pointers from each item, API),
 *            defaults: {language?, category?, tags?}}                (any type: used where the feed says nothing)
 * </pre>
 * A job imports one feed into one CMS program (a draft) with one draft episode per item, plus their metadata;
 * importing the same feed again (another job, a retry, a scheduled run) updates changed items, adds new ones and
 * skips unchanged ones, never duplicating (items are keyed by GUID, video id or the mapped id). Jobs run in the
 * background: a failed attempt is retried with exponential backoff up to the configured attempts, then the job
 * is FAILED; {@code jobs.retry} puts a FAILED job back to PENDING with a fresh set of attempts.
 * {@code intervalSeconds} makes a source scheduled: it is imported again every interval while enabled.
 * Only http and https URLs are accepted; private, loopback and link-local addresses are refused when the job
 * fetches (after DNS resolution and after each redirect) unless allowlisted by {@code ingest.allowedHosts}.
 * Failures: 400 naming the field (sourceUrl, mapping.item.id, ...), 404, 409 (delete of a RUNNING job, retry of
 * a job that is not FAILED). Events on ingest.events, keyed by job id, data = the Job: ingest.completed,
 * ingest.failed (once the job is FAILED, with its error).
 */
public final class IngestApi {
  public static final String SERVICE = "ingest";
  private static final Access EDITORS = Access.roles(Role.ADMIN, Role.EDITOR);
  private static final Set<String> JOB_SORTS = Set.of("createdAt", "updatedAt", "status");

  public static final Operation<JobCreate> JOBS_CREATE = op("jobs.create", JobCreate::from);
  public static final Operation<ById> JOBS_GET = op("jobs.get", ById::from);
  public static final Operation<JobList> JOBS_LIST = op("jobs.list", JobList::from);
  public static final Operation<ById> JOBS_DELETE = op("jobs.delete", ById::from);
  public static final Operation<ById> JOBS_RETRY = op("jobs.retry", ById::from);
  public static final Operation<SourceCreate> SOURCES_CREATE = sourcesCreate(Limits.INTERVAL_MIN);
  public static final Operation<SourceList> SOURCES_LIST = op("sources.list", SourceList::from);
  public static final Operation<ById> SOURCES_DELETE = op("sources.delete", ById::from);

  private IngestApi() {
  }

  /**
   * {@code sources.create} with intervals from {@code minIntervalSeconds} ({@link #SOURCES_CREATE} has the contract's
   * {@link Limits#INTERVAL_MIN}): the service registers it with its configured {@code ingest.minIntervalSeconds},
   * which tests lower to see schedules run.
   */
  public static Operation<SourceCreate> sourcesCreate(int minIntervalSeconds) {
    return op("sources.create", body -> SourceCreate.from(body, minIntervalSeconds));
  }

  private static <Q extends Operation.Request> Operation<Q> op(String name, Function<JsonObject, Q> reader) {
    return Operation.of(SERVICE, name, EDITORS, reader);
  }

  /** What a source is, which decides how its response is parsed. */
  public enum SourceType {
    /** RSS 0.9x to 2.0 (podcasts with iTunes tags) or Atom. */
    RSS,
    /** A YouTube channel feed: Atom with the {@code yt:} and {@code media:} namespaces. */
    YOUTUBE,
    /** A JSON document read through the source's declared JSON Pointer mapping. */
    API
  }

  /** PENDING (waiting, perhaps out a retry backoff) to RUNNING to COMPLETED or FAILED. */
  public enum JobStatus {
    PENDING, RUNNING, COMPLETED, FAILED
  }

  /** {@code jobs.create}: one import of a feed, run in the background. {@code sourceUrl} is in its normal form. */
  public record JobCreate(SourceType sourceType, URI sourceUrl, IngestMapping mapping) implements Operation.Request {
    public static JobCreate from(JsonObject body) {
      Fields f = Fields.of(body);
      SourceType type = f.enumValue("sourceType", SourceType.class, true);
      URI url = readUrl(f, "sourceUrl");
      IngestMapping mapping = type == null ? IngestMapping.NONE : IngestMapping.read(f, type);
      f.validate();
      return new JobCreate(type, url, mapping);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("sourceType", sourceType.name()).put("sourceUrl", sourceUrl.toString());
      return mapping.isEmpty() ? json : json.put("mapping", mapping.toJson());
    }
  }

  /** {@code jobs.list}: jobs of one status and/or source (or all), a page of them. */
  public record JobList(JobStatus status, UUID sourceId, PageRequest page) implements Operation.Request {
    public static JobList from(JsonObject body) {
      Fields f = Fields.of(body);
      JobStatus status = f.enumValue("status", JobStatus.class, false);
      UUID sourceId = f.uuid("sourceId", false);
      PageRequest page = PageRequest.from(f, JOB_SORTS, "createdAt,desc");
      f.validate();
      return new JobList(status, sourceId, page);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = page.into(new JsonObject());
      if (status != null) {
        json.put("status", status.name());
      }
      return sourceId == null ? json : json.put("sourceId", sourceId.toString());
    }
  }

  /**
   * {@code sources.create}: a source runs now, then every {@code intervalSeconds} when given (once otherwise), while
   * enabled ({@code enabled} absent: enabled). {@code url} is in its normal form.
   */
  public record SourceCreate(SourceType type, URI url, IngestMapping mapping, Integer intervalSeconds,
                             Boolean enabled) implements Operation.Request {
    public static SourceCreate from(JsonObject body) {
      return from(body, Limits.INTERVAL_MIN);
    }

    public static SourceCreate from(JsonObject body, int minIntervalSeconds) {
      Fields f = Fields.of(body);
      SourceType type = f.enumValue("type", SourceType.class, true);
      URI url = readUrl(f, "url");
      IngestMapping mapping = type == null ? IngestMapping.NONE : IngestMapping.read(f, type);
      Integer interval = f.integer("intervalSeconds", null, minIntervalSeconds, Limits.INTERVAL_MAX);
      Boolean enabled = f.bool("enabled");
      f.validate();
      return new SourceCreate(type, url, mapping, interval, enabled);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", type.name()).put("url", url.toString());
      if (!mapping.isEmpty()) {
        json.put("mapping", mapping.toJson());
      }
      if (intervalSeconds != null) {
        json.put("intervalSeconds", intervalSeconds);
      }
      return enabled == null ? json : json.put("enabled", enabled);
    }
  }

  /** {@code sources.list}: a page of sources, newest first. */
  public record SourceList(PageRequest page) implements Operation.Request {
    public static SourceList from(JsonObject body) {
      Fields f = Fields.of(body);
      PageRequest page = PageRequest.unsorted(f);
      f.validate();
      return new SourceList(page);
    }

    @Override
    public JsonObject toJson() {
      return page.into(new JsonObject());
    }
  }

  /**
   * The normal form of a source URL, or empty when it is not acceptable (see {@link HttpUrls#normal}): one feed is one
   * URL however it was spelled.
   */
  public static Optional<URI> sourceUrl(String value) {
    return HttpUrls.normal(value);
  }

  private static URI readUrl(Fields f, String field) {
    return HttpUrls.read(f, field);
  }
}
