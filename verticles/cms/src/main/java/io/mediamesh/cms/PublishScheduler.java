package io.mediamesh.cms;

import io.mediamesh.common.db.Times;
import io.mediamesh.cms.persistence.EpisodeRepository;
import io.mediamesh.cms.persistence.ProgramRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Publishes programs and episodes whose {@code publishAt} has come. The schedule lives in the database, so it
 * survives restarts; due rows are taken with {@code FOR UPDATE SKIP LOCKED} in the transaction that publishes
 * them, so with several instances running each publication happens exactly once. A pass runs every
 * {@code intervalMs} (250 ms by default: a publication fires well within a second of its time). "Due" is by the
 * service's clock, so tests move time instead of waiting for it.
 */
public final class PublishScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(PublishScheduler.class);
  private static final int BATCH = 100;

  private final Vertx vertx;
  private final Pool pool;
  private final CmsService cms;
  private final long intervalMs;
  private final java.time.Clock clock;
  private final ProgramRepository programs = new ProgramRepository();
  private final EpisodeRepository episodes = new EpisodeRepository();
  private long timer = -1;
  private boolean running;

  public PublishScheduler(Vertx vertx, Pool pool, CmsService cms, long intervalMs, java.time.Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.pool = pool;
    this.cms = cms;
    this.intervalMs = intervalMs;
  }

  public void start() {
    timer = vertx.setPeriodic(intervalMs, id -> pass());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void pass() {
    if (running) {
      return;
    }
    running = true;
    // programs first, so an episode due at the same moment as its program sees it published
    java.time.OffsetDateTime now = Times.now(clock);
    pool.withTransaction(tx -> programs.lockDue(tx, now, BATCH)
        .compose(ids -> sequence(ids, id -> cms.publishDueProgram(tx, id))))
      .compose(v -> pool.withTransaction(tx -> episodes.lockDue(tx, now, BATCH)
        .compose(ids -> sequence(ids, id -> cms.publishDueEpisode(tx, id)))))
      .onComplete(ar -> {
        running = false;
        if (ar.failed()) {
          LOG.warn("scheduled publishing pass failed: {}", ar.cause().getMessage());
        }
      });
  }

  private static Future<Void> sequence(java.util.List<UUID> ids, java.util.function.Function<UUID, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (UUID id : ids) {
      chain = chain.compose(v -> step.apply(id));
    }
    return chain.onSuccess(v -> {
      if (!ids.isEmpty()) {
        LOG.info("published {} scheduled item(s)", ids.size());
      }
    });
  }
}
