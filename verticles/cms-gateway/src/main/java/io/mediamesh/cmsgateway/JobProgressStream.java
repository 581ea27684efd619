package io.mediamesh.cmsgateway;

import io.mediamesh.common.api.ById;
import io.mediamesh.common.api.ProcessingApi;
import io.mediamesh.common.api.ProcessingApi.JobStatus;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.gateway.StreamHandler;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/v1/processing/jobs/{id}/events}: a processing job's progress as Server-Sent Events. The job is
 * read through the processing service first (which checks the caller's role again and answers 404 for an unknown
 * job), sent at once, then again each time the service publishes it on the bus (about once a second while it runs)
 * and at each poll (every {@link #POLL_MS}, which also keeps proxies from closing an idle stream and covers a
 * publish that never arrived). The stream ends when the job has finished, after {@link #MAX_STREAM_MS}, or when the
 * client goes; at most {@code maxStreams} are open per gateway instance (503 beyond), each a bus consumer and a
 * timer.
 */
final class JobProgressStream implements StreamHandler {

  static final long POLL_MS = 15_000;
  static final long MAX_STREAM_MS = 3_600_000;

  private final Vertx vertx;
  private final Downstream processing;
  private final int maxStreams;
  private final AtomicInteger open = new AtomicInteger();

  JobProgressStream(Vertx vertx, Downstream processing, int maxStreams) {
    this.vertx = vertx;
    this.processing = processing;
    this.maxStreams = maxStreams;
  }

  @Override
  public void handle(RoutingContext ctx, Caller caller) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException | NullPointerException e) {
      ctx.fail(ServiceException.validation("id", "must be a UUID"));
      return;
    }
    if (open.incrementAndGet() > maxStreams) {
      open.decrementAndGet();
      ctx.fail(new ServiceException(ErrorCode.UNAVAILABLE, "too many progress streams open; poll the job instead"));
      return;
    }
    ctx.request().resume();
    processing.<JsonObject>request(ProcessingApi.JOBS_GET, new ById(id).toJson(), caller, true)
      .onFailure(err -> {
        open.decrementAndGet();
        ctx.fail(err);
      })
      .onSuccess(job -> new Stream(ctx, caller, id).start(job));
  }

  int open() {
    return open.get();
  }

  /** One client's stream. */
  private final class Stream {
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final Caller caller;
    private final UUID id;
    private MessageConsumer<JsonObject> consumer;
    private long poll = -1;
    private long deadline = -1;
    private String last;
    private boolean closed;

    Stream(RoutingContext ctx, Caller caller, UUID id) {
      this.ctx = ctx;
      this.response = ctx.response();
      this.caller = caller;
      this.id = id;
    }

    void start(JsonObject job) {
      if (response.closed()) {
        close(false); // the client went while the job was read
        return;
      }
      response.setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache, no-store")
        .putHeader("X-Accel-Buffering", "no");
      response.closeHandler(v -> close(false));
      response.write("retry: 3000\n\n");
      if (send(job)) {
        return;
      }
      consumer = vertx.eventBus().consumer(ProcessingApi.progressAddress(id), m -> send(m.body()));
      poll = vertx.setPeriodic(POLL_MS, t -> processing.<JsonObject>request(ProcessingApi.JOBS_GET,
          new ById(id).toJson(), caller, true)
        .onSuccess(this::send)
        .onFailure(err -> {
          if (!closed) {
            response.write(": " + ServiceException.from(err).code().code() + "\n\n");
          }
        }));
      deadline = vertx.setTimer(MAX_STREAM_MS, t -> close(true));
    }

    /** Sends the job if it changed; ends the stream once it has finished. Answers whether the stream ended. */
    private boolean send(JsonObject job) {
      if (closed) {
        return true;
      }
      String data = job.encode();
      if (data.equals(last)) {
        response.write(": waiting\n\n");
      } else {
        last = data;
        response.write("event: job\ndata: " + data + "\n\n");
      }
      JobStatus status = JobStatus.valueOf(job.getString("status", "QUEUED"));
      if (status.finished()) {
        close(true);
        return true;
      }
      return false;
    }

    private void close(boolean end) {
      if (closed) {
        return;
      }
      closed = true;
      open.decrementAndGet();
      vertx.cancelTimer(poll);
      vertx.cancelTimer(deadline);
      if (consumer != null) {
        consumer.unregister();
      }
      if (end && !response.ended() && !response.closed()) {
        response.end();
      }
    }
  }
}
