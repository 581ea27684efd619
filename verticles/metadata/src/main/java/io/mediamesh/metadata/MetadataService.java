package io.mediamesh.metadata;

import io.mediamesh.common.api.ByContent;
import io.mediamesh.common.api.ById;
import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.validation.Paging;
import io.mediamesh.metadata.domain.Metadata;
import io.mediamesh.common.db.Times;
import io.mediamesh.metadata.persistence.MetadataRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Metadata with full version history: every change writes the row, its version record and its event in one
 * transaction; a restore copies an old version's fields into a new version.
 */
public final class MetadataService {

  static final String SOURCE = "metadata";
  private static final String UNIQUE_VIOLATION = "23505";

  /** Versions are listed newest first whatever the sort (the only sortable field is the version). */
  private static final Map<String, String> VERSION_SORTS = Map.of("version", "version");

  private final Pool pool;
  private final CmsClient cms;
  private final Clock clock;
  private final MetadataRepository repo = new MetadataRepository();

  /** {@code cms} answers whether content exists (asked as the caller); {@code clock} dates every version. */
  public MetadataService(Pool pool, CmsClient cms, Clock clock) {
    this.pool = pool;
    this.cms = cms;
    this.clock = clock;
  }

  public Future<JsonObject> create(Caller caller, MetadataApi.Create request) {
    Metadata m = Metadata.created(request.contentId(), request.contentType().name(), request.fields(),
      Times.now(clock));
    return cms.requireContent(caller, m.contentId(), m.contentType())
      .compose(v -> pool.withTransaction(tx -> repo.insert(tx, m)
        .compose(x -> record(tx, m, "created", null, caller.userId(), "metadata.created"))))
      .map(v -> m.toJson())
      .recover(err -> err instanceof PgException pe && UNIQUE_VIOLATION.equals(pe.getSqlState())
        ? Future.failedFuture(new ServiceException(ErrorCode.CONFLICT, "contentId: already has metadata",
        new JsonObject().put("fields", new JsonObject().put("contentId", "already has metadata"))))
        : Future.failedFuture(err));
  }

  public Future<JsonObject> get(ById request) {
    return repo.byId(pool, request.id(), false)
      .map(m -> m.orElseThrow(() -> ServiceException.notFound("metadata")).toJson());
  }

  public Future<JsonObject> byContent(ByContent request) {
    return repo.byContent(pool, request.contentId(), false)
      .map(m -> m.orElseThrow(() -> ServiceException.notFound("metadata")).toJson());
  }

  /** Replaces the editable fields, given the version the caller read. */
  public Future<JsonObject> update(Caller caller, MetadataApi.Update request) {
    return pool.withTransaction(tx -> lock(tx, request.id()).compose(m -> {
      if (m.version() != request.version()) {
        throw ServiceException.staleVersion(request.version(), m.version());
      }
      Metadata next = m.next(request.fields(), Times.now(clock));
      return repo.save(tx, next).compose(v -> record(tx, next, "updated", null, caller.userId(), "metadata.updated"))
        .map(v -> next.toJson());
    }));
  }

  public Future<JsonObject> versions(MetadataApi.Versions request) {
    UUID id = request.id();
    Paging paging = Paging.of(request.page(), VERSION_SORTS);
    return repo.byId(pool, id, false).compose(m -> {
      m.orElseThrow(() -> ServiceException.notFound("metadata"));
      return repo.versions(pool, id, paging.size(), paging.offset());
    }).compose(items -> repo.countVersions(pool, id).map(total -> paging.answer(
      items.stream().map(MetadataRepository.VersionInfo::toJson).toList(), total)));
  }

  public Future<JsonObject> version(MetadataApi.AtVersion request) {
    return repo.byId(pool, request.id(), false).compose(m -> {
      m.orElseThrow(() -> ServiceException.notFound("metadata"));
      return repo.snapshot(pool, request.id(), request.version());
    }).map(s -> s.orElseThrow(() -> ServiceException.notFound("version " + request.version())));
  }

  /** Makes the fields of an old version current again, as a new version. */
  public Future<JsonObject> restore(Caller caller, MetadataApi.AtVersion request) {
    UUID id = request.id();
    int version = request.version();
    return pool.withTransaction(tx -> lock(tx, id).compose(m -> repo.snapshot(tx, id, version).compose(old -> {
      JsonObject snapshot = old.orElseThrow(() -> ServiceException.notFound("version " + version));
      Metadata next = m.next(Metadata.fieldsOf(snapshot), Times.now(clock));
      return repo.save(tx, next).compose(v -> record(tx, next, "restored", version, caller.userId(),
        "metadata.updated")).map(v -> next.toJson());
    })));
  }

  /** On {@code content.deleted}: tombstones the content's metadata (once; a replay finds nothing to do). */
  public Future<Void> contentDeleted(EventEnvelope event, SqlConnection tx) {
    if (!event.type().equals("content.deleted")) {
      return Future.succeededFuture();
    }
    UUID contentId;
    try {
      contentId = UUID.fromString(event.subject());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("content.deleted subject is not a UUID: " + event.subject());
    }
    return repo.byContent(tx, contentId, true).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      Metadata m = found.get();
      Metadata gone = m.next(m.fields(), Times.now(clock));
      return repo.tombstone(tx, gone).compose(v -> record(tx, gone, "deleted", null, "system", "metadata.deleted"));
    });
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  private Future<Void> record(SqlConnection tx, Metadata m, String change, Integer restoredFrom, String by,
                              String eventType) {
    return repo.addVersion(tx, m, change, restoredFrom, by)
      .compose(v -> Outbox.append(tx, Topics.METADATA, EventEnvelope.create(eventType, SOURCE, m.id().toString(),
        m.toJson())));
  }

  private Future<Metadata> lock(SqlConnection tx, UUID id) {
    return repo.byId(tx, id, true).map(m -> m.orElseThrow(() -> ServiceException.notFound("metadata")));
  }
}
