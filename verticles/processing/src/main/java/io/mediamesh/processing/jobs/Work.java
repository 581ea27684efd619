package io.mediamesh.processing.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;

/** What a type of job does: its attempt, and the removal of every object an attempt may have written. */
public interface Work {

  /** The output of a succeeded attempt, and when it is due for removal (null: kept with the asset). */
  record Result(JsonObject output, OffsetDateTime expiresAt) {
  }

  Future<Result> run(Attempt attempt);

  /** Removes what any attempt of {@code job} stored; repeatable (called before each attempt and after a cancel). */
  Future<Void> cleanup(Job job);
}
