package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The processing service's event-bus API: jobs on media assets. A TRANSCODE job starts by itself on
 * {@code media.uploaded} of a VIDEO or AUDIO asset (an HLS ladder, a poster and a storyboard under the asset's
 * prefix); a FRAMES job extracts frames into a ZIP. Access: ADMIN or EDITOR (a USER has no media of their own to
 * run frames on yet: 403).
 * <pre>
 * address                             request                                               reply
 * mediamesh.processing.jobs.list      {status?, type?, mediaId?, mine?, page?, size?, sort?}  Page of Job
 * mediamesh.processing.jobs.get       {id}                                                  Job
 * mediamesh.processing.jobs.retry     {id}                                                  Job (QUEUED again)
 * mediamesh.processing.jobs.cancel    {id}                                                  Job (CANCELED)
 * mediamesh.processing.frames.create  {mediaId, everySeconds | fps, width?, format?}        Job (QUEUED; "202")
 *
 * Job = {id, type: TRANSCODE|FRAMES, mediaId, status: QUEUED|RUNNING|SUCCEEDED|FAILED|CANCELED,
 *        phase: PROBING|TRANSCODING|PACKAGING|UPLOADING (while RUNNING), percent (0..100), etaSeconds,
 *        queuePosition (1 = next, while QUEUED), attempts, error, params, output, createdBy, createdAt, updatedAt,
 *        startedAt, finishedAt}
 * output of TRANSCODE = {durationSeconds, renditions: [{name, height, width, bitrate, codecs, copied, playlist}],
 *        master, poster?, storyboard?: {image, vtt, tileWidth, tileHeight, interval, columns, count}}
 *        (storage keys under media/&lt;mediaId&gt;/hls/; media turns them into the asset's playback URLs)
 * output of FRAMES    = {zipUrl (presigned, on read), zipKey, frames, bytes, expiresAt}
 * </pre>
 * Progress is also published on the bus at {@link #progressAddress(UUID)} (the Job, about once a second, and once
 * more when it ends), which the CMS gateway streams as Server-Sent Events. Failures: 400 naming the field, 404,
 * 409 (retry of a job that is not FAILED or CANCELED, cancel of a finished job, frames of an asset that is not a
 * READY video). Events on processing.events, keyed by job id, data = the Job: processing.started,
 * processing.progressed (each rung published, each phase), processing.completed, processing.failed,
 * processing.canceled.
 */
public final class ProcessingApi {
  public static final String SERVICE = "processing";
  private static final Access EDITORS = Access.roles(Role.ADMIN, Role.EDITOR);
  private static final Set<String> JOB_SORTS = Set.of("createdAt", "updatedAt", "status");

  public static final Operation<JobList> JOBS_LIST = op("jobs.list", JobList::from);
  public static final Operation<ById> JOBS_GET = op("jobs.get", ById::from);
  public static final Operation<ById> JOBS_RETRY = op("jobs.retry", ById::from);
  public static final Operation<ById> JOBS_CANCEL = op("jobs.cancel", ById::from);
  public static final Operation<FramesCreate> FRAMES_CREATE = op("frames.create", FramesCreate::from);

  private ProcessingApi() {
  }

  private static <Q extends Operation.Request> Operation<Q> op(String name, Function<JsonObject, Q> reader) {
    return Operation.of(SERVICE, name, EDITORS, reader);
  }

  /** Where a job's progress is published (bus publish, not request-reply: any number of listeners). */
  public static String progressAddress(UUID jobId) {
    return "mediamesh.processing.progress." + jobId;
  }

  public enum JobType {
    TRANSCODE, FRAMES
  }

  /** QUEUED (perhaps waiting out a retry's backoff) to RUNNING to SUCCEEDED, FAILED or CANCELED. */
  public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED;

    public boolean finished() {
      return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }
  }

  public enum Phase {
    PROBING, TRANSCODING, PACKAGING, UPLOADING
  }

  public enum FrameFormat {
    JPG, PNG
  }

  /** {@code jobs.list}: filtered by status, type, asset and/or the caller's own jobs ({@code mine}), a page. */
  public record JobList(JobStatus status, JobType type, UUID mediaId, boolean mine, PageRequest page)
    implements Operation.Request {
    public static JobList from(JsonObject body) {
      Fields f = Fields.of(body);
      JobStatus status = f.enumValue("status", JobStatus.class, false);
      JobType type = f.enumValue("type", JobType.class, false);
      UUID mediaId = f.uuid("mediaId", false);
      Boolean mine = f.bool("mine");
      PageRequest page = PageRequest.from(f, JOB_SORTS, "createdAt,desc");
      f.validate();
      return new JobList(status, type, mediaId, Boolean.TRUE.equals(mine), page);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = page.into(new JsonObject());
      if (status != null) {
        json.put("status", status.name());
      }
      if (type != null) {
        json.put("type", type.name());
      }
      if (mediaId != null) {
        json.put("mediaId", mediaId.toString());
      }
      return mine ? json.put("mine", true) : json;
    }
  }

  /**
   * {@code frames.create}: a frame every {@code everySeconds}, or {@code fps} frames a second (exactly one of the
   * two), scaled to {@code width} (the source's when absent, never enlarged), as JPEG (default) or PNG.
   */
  public record FramesCreate(UUID mediaId, Integer everySeconds, Integer fps, Integer width, FrameFormat format)
    implements Operation.Request {
    public static FramesCreate from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID mediaId = f.uuid("mediaId", true);
      Integer every = f.integer("everySeconds", null, Limits.FRAMES_EVERY_MIN, Limits.FRAMES_EVERY_MAX);
      Integer fps = f.integer("fps", null, Limits.FRAMES_FPS_MIN, Limits.FRAMES_FPS_MAX);
      if (f.has("everySeconds") == f.has("fps")) {
        f.problem("everySeconds", "exactly one of everySeconds and fps is required");
      }
      Integer width = f.integer("width", null, Limits.FRAMES_WIDTH_MIN, Limits.FRAMES_WIDTH_MAX);
      FrameFormat format = f.has("format") ? readFormat(f) : FrameFormat.JPG;
      f.validate();
      return new FramesCreate(mediaId, every, fps, width, format);
    }

    private static FrameFormat readFormat(Fields f) {
      String value = f.string("format", false);
      if ("jpg".equals(value)) {
        return FrameFormat.JPG;
      }
      if ("png".equals(value)) {
        return FrameFormat.PNG;
      }
      f.problem("format", "must be jpg or png");
      return null;
    }

    /** Frames per second as an FFmpeg rate: {@code 1/everySeconds} or {@code fps}. */
    public String rate() {
      return everySeconds != null ? "1/" + everySeconds : String.valueOf(fps);
    }

    /** Frames per second as a number. */
    public double perSecond() {
      return everySeconds != null ? 1.0 / everySeconds : fps;
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("mediaId", mediaId.toString());
      if (everySeconds != null) {
        json.put("everySeconds", everySeconds);
      }
      if (fps != null) {
        json.put("fps", fps);
      }
      if (width != null) {
        json.put("width", width);
      }
      return json.put("format", format.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
