package io.mediamesh.processing.jobs;

import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/** {@code processing.*} events, appended to the outbox in the transaction that changes the job; keyed by job id. */
public final class JobEvents {

  public static final String STARTED = "processing.started";
  public static final String PROGRESSED = "processing.progressed";
  public static final String COMPLETED = "processing.completed";
  public static final String FAILED = "processing.failed";
  public static final String CANCELED = "processing.canceled";
  static final String SOURCE = "processing";

  /** An event of {@code type} carrying the job as the API shows it. */
  public Future<Void> emit(SqlConnection tx, String type, Job job) {
    return Outbox.append(tx, Topics.PROCESSING, EventEnvelope.create(type, SOURCE, job.id().toString(),
      job.toJson()));
  }
}
