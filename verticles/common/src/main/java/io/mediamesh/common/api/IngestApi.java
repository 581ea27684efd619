package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;

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
  public static final Operation<Operation.Json> JOBS_CREATE = Operation.of(SERVICE, "jobs.create", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> JOBS_GET = Operation.of(SERVICE, "jobs.get", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> JOBS_LIST = Operation.of(SERVICE, "jobs.list", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> JOBS_DELETE = Operation.of(SERVICE, "jobs.delete", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> JOBS_RETRY = Operation.of(SERVICE, "jobs.retry", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> SOURCES_CREATE = Operation.of(SERVICE, "sources.create", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> SOURCES_LIST = Operation.of(SERVICE, "sources.list", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> SOURCES_DELETE = Operation.of(SERVICE, "sources.delete", EDITORS, Operation.Json::from);

  private IngestApi() {
  }

  public static String operation(Operation<?> operation) {
    return operation.name();
  }
}
