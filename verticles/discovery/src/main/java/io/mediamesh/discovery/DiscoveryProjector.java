package io.mediamesh.discovery;

import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.DiscoveryFacts;
import io.mediamesh.common.events.BatchEventHandler;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.readmodel.ContentProjection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Applies events to the read model and, once committed, evicts exactly the cached answers they affect:
 * the details of the content and of its program (episode counts), the episodes of a program that changed
 * (their visibility follows it), the program lists whose filters match the program's category and language before
 * or after the change, and the categories. Then it tells gateways on {@link DiscoveryApi#INVALIDATED}.
 */
final class DiscoveryProjector implements BatchEventHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryProjector.class);
  private static final String FACETS = """
    SELECT c.id, c.type, coalesce(c.program_id, c.id) AS program, m.category, m.language
      FROM rm_content c
      LEFT JOIN rm_metadata m ON m.content_id = coalesce(c.program_id, c.id) AND NOT m.deleted
     WHERE c.id = ANY($1)""";
  private static final String EPISODES_OF = "SELECT id FROM rm_content WHERE program_id = ANY($1)";
  private static final String VISIBLE = "SELECT id FROM rm_visible WHERE id = ANY($1)";

  private final Vertx vertx;
  private final ReadCache cache;
  private final long goneTtlSeconds;

  DiscoveryProjector(Vertx vertx, ReadCache cache, long goneTtlSeconds) {
    this.vertx = vertx;
    this.cache = cache;
    this.goneTtlSeconds = goneTtlSeconds;
  }

  /** What a batch affects, gathered before and after it applies. */
  private static final class Affected {
    final Set<UUID> programs = new LinkedHashSet<>();
    final Set<UUID> episodes = new LinkedHashSet<>();
    final Set<String> categories = new LinkedHashSet<>();
    final Set<String> languages = new LinkedHashSet<>();
    /** Programs and episodes of the batch that are visible after it; the others are gone (tombstoned). */
    final Set<UUID> visible = new LinkedHashSet<>();

    Set<UUID> gone() {
      Set<UUID> gone = new LinkedHashSet<>(programs);
      gone.addAll(episodes);
      gone.removeAll(visible);
      return gone;
    }

    Set<String> deps() {
      Set<String> deps = new LinkedHashSet<>();
      programs.forEach(p -> deps.add(DiscoveryFacts.program(p)));
      episodes.forEach(e -> deps.add(DiscoveryFacts.episode(e)));
      if (!programs.isEmpty()) {
        Set<String> cats = new LinkedHashSet<>(categories);
        cats.add(null);
        Set<String> langs = new LinkedHashSet<>(languages);
        langs.add(null);
        for (String c : cats) {
          for (String l : langs) {
            deps.add(DiscoveryFacts.lists(c, l));
          }
        }
        deps.add(DiscoveryFacts.CATEGORIES);
      }
      return deps;
    }

    DiscoveryApi.Invalidation invalidation() {
      return new DiscoveryApi.Invalidation(List.copyOf(programs), List.copyOf(episodes), !programs.isEmpty(),
        List.copyOf(gone()));
    }
  }

  @Override
  public Future<AfterCommit> handle(List<EventEnvelope> events, SqlConnection tx) {
    Set<UUID> ids = ContentProjection.contentIds(events);
    Affected affected = new Affected();
    UUID[] idArray = ids.toArray(new UUID[0]);
    return collect(tx, idArray, affected)
      .compose(v -> ContentProjection.apply(events, tx))
      .compose(v -> collect(tx, idArray, affected))
      .compose(v -> tx.preparedQuery(EPISODES_OF).execute(Tuple.of((Object) idArray)))
      .compose(rows -> {
        rows.forEach(r -> affected.episodes.add(r.getUUID(0)));
        Set<UUID> all = new LinkedHashSet<>(affected.programs);
        all.addAll(affected.episodes);
        return tx.preparedQuery(VISIBLE).execute(Tuple.of((Object) all.toArray(new UUID[0])));
      })
      .map(rows -> {
        rows.forEach(r -> affected.visible.add(r.getUUID(0)));
        return () -> evict(affected, 1);
      });
  }

  private static Future<Void> collect(SqlConnection tx, UUID[] ids, Affected affected) {
    return tx.preparedQuery(FACETS).execute(Tuple.of((Object) ids)).map(rows -> {
      for (Row r : rows) {
        affected.programs.add(r.getUUID("program"));
        if (r.getString("type").equals("EPISODE")) {
          affected.episodes.add(r.getUUID("id"));
        }
        if (r.getString("category") != null) {
          affected.categories.add(r.getString("category"));
        }
        if (r.getString("language") != null) {
          affected.languages.add(r.getString("language"));
        }
      }
      return null;
    });
  }

  /** Evicts, retrying a few times with backoff; the TTL bounds staleness if Redis stays away. */
  private Future<Void> evict(Affected affected, int attempt) {
    return cache.invalidate(affected.deps())
      .compose(v -> cache.tombstones(affected.gone(), affected.visible, goneTtlSeconds))
      .onSuccess(v -> vertx.eventBus().publish(DiscoveryApi.INVALIDATED, affected.invalidation().toJson()))
      .recover(err -> {
        if (attempt >= 5) {
          return Future.failedFuture(err);
        }
        LOG.warn("cache eviction attempt {} failed: {}", attempt, err.getMessage());
        Promise<Void> later = Promise.promise();
        vertx.setTimer(100L << attempt, id -> evict(affected, attempt + 1).onComplete(later));
        return later.future();
      });
  }
}
