package io.mediamesh.ingest.run;

import io.mediamesh.common.api.IngestApi;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.mediamesh.ingest.domain.Job;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/** {@code ingest.completed} and {@code ingest.failed}, keyed by job id, written in the job's finishing transaction. */
final class JobEvents {

  private JobEvents() {
  }

  static Future<Job> completed(SqlClient tx, Job job) {
    return emit(tx, "ingest.completed", job);
  }

  static Future<Job> failed(SqlClient tx, Job job) {
    return emit(tx, "ingest.failed", job);
  }

  private static Future<Job> emit(SqlClient tx, String type, Job job) {
    return Outbox.append(tx, Topics.INGEST, EventEnvelope.create(type, IngestApi.SERVICE, job.id().toString(),
      job.toJson())).map(job);
  }
}
