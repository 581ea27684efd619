package io.mediamesh.media;

import io.mediamesh.storage.Storage;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.common.db.Times;
import io.mediamesh.media.persistence.AssetRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Deletes in two steps: mark DELETING (the asset disappears from reads), remove the objects, then remove the rows
 * with media.deleted. If storage fails the rows stay DELETING and the delete can be repeated (the sweeper also
 * retries), so nothing is left half-deleted for good.
 */
final class AssetDeletion {

  private static final Logger LOG = LoggerFactory.getLogger(AssetDeletion.class);
  /** A deletion marked this long ago and still there failed half way: the sweeper tries it again. */
  private static final Duration STUCK_AFTER = Duration.ofSeconds(30);
  private static final int SWEEP_BATCH = 20;

  private final Vertx vertx;
  private final Pool pool;
  private final Storage storage;
  private final Clock clock;
  private final AssetRepository assets = new AssetRepository();

  AssetDeletion(Vertx vertx, Pool pool, Storage storage, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.storage = storage;
    this.clock = clock;
  }

  /** Deletes an original with its thumbnails (a thumbnail alone is refused: it goes with its original). */
  Future<JsonObject> delete(UUID id) {
    return pool.withTransaction(tx -> assets.byId(tx, id, true).compose(found -> {
      Asset a = found.orElseThrow(() -> ServiceException.notFound("media"));
      if (a.parentId() != null) {
        throw ServiceException.conflict("delete the original; its thumbnails go with it");
      }
      return assets.children(tx, id, true).compose(children -> {
        Future<Void> mark = a.status() == AssetStatus.DELETING ? Future.succeededFuture()
          : assets.save(tx, a.with(AssetStatus.DELETING, Times.now(clock)));
        // everything under the asset's prefix: its bytes, a staging copy a client may have written again, a
        // completion's copy left by a crash; then each thumbnail's
        List<String> prefixes = new ArrayList<>();
        prefixes.add(AssetKeys.keyFor(a.id(), ""));
        children.forEach(c -> prefixes.add(AssetKeys.keyFor(c.id(), "")));
        return mark.map(prefixes);
      });
    })).compose(prefixes -> Stages.future(vertx, CompletableFuture.allOf(prefixes.stream()
        .map(storage::deletePrefix).toArray(CompletableFuture[]::new)))
      .recover(err -> Future.failedFuture(new ServiceException(ErrorCode.UNAVAILABLE,
        "storage unavailable; the media is marked for deletion, try again"))))
      .compose(v -> pool.withTransaction(tx -> assets.byId(tx, id, true).compose(found -> {
        if (found.isEmpty()) {
          return Future.succeededFuture(); // another attempt finished first
        }
        Asset gone = found.get().with(AssetStatus.DELETING, Times.now(clock));
        return assets.children(tx, id, false)
          .compose(children -> {
            Future<Void> chain = Future.succeededFuture();
            for (Asset c : children) {
              chain = chain.compose(x -> AssetEvents.emit(tx, "media.deleted",
                c.with(AssetStatus.DELETING, gone.updatedAt())));
            }
            return chain;
          })
          .compose(x -> AssetEvents.emit(tx, "media.deleted", gone))
          .compose(x -> assets.delete(tx, id));
      })))
      .map(v -> new JsonObject());
  }

  /** Retries deletions left half-done by a storage failure. */
  Future<Void> sweep() {
    return assets.stuckDeletions(pool, Times.now(clock).minus(STUCK_AFTER), SWEEP_BATCH).compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (UUID id : ids) {
        chain = chain.compose(v -> delete(id).<Void>mapEmpty().otherwise(err -> {
          LOG.warn("deletion of media {} still failing: {}", id, err.getMessage());
          return null;
        }));
      }
      return chain;
    });
  }
}
