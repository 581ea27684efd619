package io.mediamesh.ingest.run;

import io.mediamesh.ingest.domain.Job;
import io.mediamesh.ingest.domain.Source;
import io.mediamesh.common.db.Times;
import io.mediamesh.ingest.persistence.JobRepository;
import io.mediamesh.ingest.persistence.SourceRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * Turns due sources into jobs. A pass takes due sources {@code FOR UPDATE SKIP LOCKED} and, in the same
 * transaction, creates each one's job and moves its next run an interval on (or clears it for a one-off source),
 * so with several instances each run is created exactly once. A source whose previous job has not finished gets
 * no second one: the run is skipped to the next interval (one runner per source, never a pile-up).
 */
public final class SourceScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(SourceScheduler.class);
  private static final int BATCH = 20;

  private final Pool pool;
  private final Clock clock;
  private final SourceRepository sources = new SourceRepository();
  private final JobRepository jobs = new JobRepository();

  public SourceScheduler(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Creates the jobs of the sources now due (the {@link JobRunner}'s pass calls it); how many it created. */
  public Future<Integer> createDueJobs() {
    OffsetDateTime now = Times.now(clock);
    return pool.withTransaction(tx -> sources.lockDue(tx, now, BATCH).compose(due -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (Source s : due) {
        chain = chain.compose(created -> jobs.hasUnfinished(tx, s.id()).compose(busy -> (busy
          ? Future.succeededFuture(created)
          : jobs.insert(tx, Job.pending(s.id(), s.type(), s.url(), s.feedKey(), s.mapping(), s.createdBy(), now))
          .map(created + 1))
          .compose(n -> sources.scheduleNext(tx, s.id(), s.intervalSeconds(), now).map(n))));
      }
      return chain;
    })).onSuccess(created -> {
      if (created > 0) {
        LOG.info("{} scheduled import job(s) created", created);
      }
    });
  }
}
