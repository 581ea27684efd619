package io.mediamesh.search;

import io.mediamesh.common.api.ById;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.api.PageRequest;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.readmodel.ContentProjection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Rebuilds the index from the source of truth while search keeps answering: pages through the CMS's published
 * programs and episodes over the bus (with the requesting admin's token), with each one's metadata, and feeds them
 * to the content projection as snapshots (the version guard keeps anything newer the events already brought).
 * Content the index shows but the CMS no longer publishes is fetched one by one and corrected. Finally every
 * document is re-derived, a page at a time, each page in its own short transaction. Media comes from media events
 * only (the media API answers views, not versioned snapshots).
 */
final class Reindexer {

  private static final Logger LOG = LoggerFactory.getLogger(Reindexer.class);
  private static final int PAGE = 100;
  private static final String SOURCE = "search-reindex";
  private static final String START = """
    UPDATE index_state SET reindex_state = 'RUNNING', reindex_started = now(), reindex_finished = NULL,
      reindex_documents = NULL, reindex_error = NULL
     WHERE reindex_state IS DISTINCT FROM 'RUNNING' OR reindex_started < now() - interval '1 hour'
    RETURNING reindex_started""";
  private static final String FINISH = """
    UPDATE index_state SET reindex_state = $1, reindex_finished = now(), reindex_documents = $2, reindex_error = $3""";

  private final Pool pool;
  private final BusClient bus;

  Reindexer(Pool pool, BusClient bus) {
    this.pool = pool;
    this.bus = bus;
  }

  /** Starts a reindex in the background; 409 while one runs (in any instance: the state row decides). */
  Future<JsonObject> start(Caller admin) {
    return pool.query(START).execute().map(rows -> {
      if (rows.rowCount() == 0) {
        throw new ServiceException(ErrorCode.CONFLICT, "a reindex is already running", null);
      }
      String started = rows.iterator().next().getOffsetDateTime(0).toInstant().toString();
      AtomicLong documents = new AtomicLong();
      run(admin, documents)
        .compose(v -> Documents.counts(pool))
        .onSuccess(counts -> finish("COMPLETED", counts.documents(), null))
        .onFailure(err -> {
          LOG.error("reindex failed after {} documents", documents.get(), err);
          finish("FAILED", documents.get(), err.getMessage());
        });
      return new JsonObject().put("state", "RUNNING").put("startedAt", started);
    });
  }

  private void finish(String state, long documents, String error) {
    pool.preparedQuery(FINISH).execute(Tuple.of(state, documents, error))
      .onFailure(err -> LOG.error("cannot record the reindex outcome {}", state, err));
  }

  private Future<Void> run(Caller admin, AtomicLong documents) {
    Set<UUID> seen = new HashSet<>();
    IntFunction<Future<JsonObject>> programs = page -> bus.send(CmsApi.PROGRAM_LIST,
      new CmsApi.ProgramList(CmsApi.Status.PUBLISHED, oldestFirst(page)), admin);
    IntFunction<Future<JsonObject>> episodes = page -> bus.send(CmsApi.EPISODE_LIST,
      new CmsApi.EpisodeList(null, CmsApi.Status.PUBLISHED, oldestFirst(page)), admin);
    return pages(programs, "PROGRAM", admin, 0, seen)
      .compose(v -> pages(episodes, "EPISODE", admin, 0, seen))
      .compose(v -> correctUnseen(admin, seen))
      .compose(v -> rederive(null, documents));
  }

  /** Page {@code page} in creation order (so content created meanwhile comes last, not between pages). */
  private static PageRequest oldestFirst(int page) {
    return new PageRequest(page, PAGE, "createdAt", false);
  }

  private Future<Void> pages(IntFunction<Future<JsonObject>> list, String contentType, Caller admin, int page,
                             Set<UUID> seen) {
    return list.apply(page).compose(reply -> {
      JsonArray items = reply.getJsonArray("items");
      List<JsonObject> snapshots = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        JsonObject item = items.getJsonObject(i).copy().put("contentType", contentType);
        snapshots.add(item);
        seen.add(UUID.fromString(item.getString("id")));
      }
      Future<Void> applied = apply(snapshots, admin);
      if ((long) (page + 1) * PAGE >= reply.getLong("total")) {
        return applied;
      }
      return applied.compose(v -> pages(list, contentType, admin, page + 1, seen));
    });
  }

  /** Applies CMS snapshots and their metadata to the projection in one transaction (no document refresh yet). */
  private Future<Void> apply(List<JsonObject> snapshots, Caller admin) {
    List<Future<JsonObject>> metadata = new ArrayList<>();
    for (JsonObject s : snapshots) {
      metadata.add(bus.<JsonObject>request(MetadataApi.BY_CONTENT, new JsonObject().put("contentId", s.getString("id")),
        admin).recover(err -> ServiceException.from(err).code() == ErrorCode.NOT_FOUND
        ? Future.succeededFuture(null) : Future.failedFuture(err)));
    }
    return Future.all(metadata).compose(all -> {
      List<EventEnvelope> events = new ArrayList<>();
      for (int i = 0; i < snapshots.size(); i++) {
        JsonObject s = snapshots.get(i);
        events.add(EventEnvelope.create("content.updated", SOURCE, s.getString("id"), s));
        JsonObject m = metadata.get(i).result();
        if (m != null) {
          events.add(EventEnvelope.create("metadata.updated", SOURCE, m.getString("id"), m));
        }
      }
      return pool.withTransaction(tx -> ContentProjection.apply(events, tx)).mapEmpty();
    });
  }

  /** Content the projection calls published that the CMS did not list: ask for each one's current state. */
  private Future<Void> correctUnseen(Caller admin, Set<UUID> seen) {
    return pool.query("SELECT id, type, version FROM rm_content WHERE status = 'PUBLISHED'").execute().compose(rows -> {
      Future<Void> chain = Future.succeededFuture();
      for (Row r : rows) {
        UUID id = r.getUUID("id");
        if (seen.contains(id)) {
          continue;
        }
        String type = r.getString("type");
        int version = r.getInteger("version");
        chain = chain.compose(v -> correct(admin, id, type, version));
      }
      return chain;
    });
  }

  private Future<Void> correct(Caller admin, UUID id, String type, int version) {
    var get = type.equals("PROGRAM") ? CmsApi.PROGRAM_GET : CmsApi.EPISODE_GET;
    return bus.<ById, JsonObject>send(get, new ById(id), admin)
      .map(current -> current.copy().put("contentType", type))
      .recover(err -> ServiceException.from(err).code() == ErrorCode.NOT_FOUND
        ? Future.succeededFuture(null) : Future.failedFuture(err))
      .compose(current -> {
        if (current != null) {
          return apply(List.of(current), admin);
        }
        return pool.preparedQuery("UPDATE rm_content SET status = 'DELETED', version = version + 1 WHERE id = $1 "
          + "AND version = $2").execute(Tuple.of(id, version)).mapEmpty();
      });
  }

  /** Re-derives every document from the projection, in id order, one page per transaction. */
  private Future<Void> rederive(UUID after, AtomicLong documents) {
    String sql = "SELECT id FROM rm_content WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT 500";
    return pool.preparedQuery(sql).execute(Tuple.of(after)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture();
      }
      Set<UUID> ids = new LinkedHashSet<>();
      rows.forEach(r -> ids.add(r.getUUID(0)));
      UUID last = ids.stream().reduce((a, b) -> b).orElseThrow();
      return pool.withTransaction(tx -> Documents.refresh(tx, ids).compose(v -> IndexChanges.record(tx, ids, null)))
        .compose(v -> {
          documents.addAndGet(ids.size());
          return rederive(last, documents);
        });
    });
  }
}
