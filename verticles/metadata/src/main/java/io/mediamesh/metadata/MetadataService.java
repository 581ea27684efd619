package io.mediamesh.metadata;

import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.validation.Fields;
import io.mediamesh.common.validation.Paging;
import io.mediamesh.metadata.domain.Metadata;
import io.mediamesh.metadata.domain.MetadataInput;
import io.mediamesh.metadata.persistence.MetadataRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * Metadata with full version history: every change writes the row, its version record and its event in one
 * transaction; a restore copies an old version's fields into a new version.
 */
public final class MetadataService {

  static final String SOURCE = "metadata";
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;
  private final io.mediamesh.common.api.CmsClient cms;
  private final MetadataRepository repo = new MetadataRepository();

  public MetadataService(Pool pool, BusClient bus) {
    this.pool = pool;
    this.cms = new io.mediamesh.common.api.CmsClient(bus);
  }

  public Future<JsonObject> create(Caller caller, JsonObject body) {
    Fields f = Fields.of(body);
    UUID contentId = f.uuid("contentId", true);
    String contentType = f.string("contentType", true);
    if (contentType != null && !contentType.equals("PROGRAM") && !contentType.equals("EPISODE")) {
      f.problem("contentType", "must be PROGRAM or EPISODE");
    }
    Metadata.Fields fields = MetadataInput.read(f);
    f.validate();
    OffsetDateTime now = now();
    Metadata m = new Metadata(UUID.randomUUID(), contentId, contentType, fields, 1, now, now);
    return contentExists(caller, contentId, contentType)
      .compose(v -> pool.withTransaction(tx -> repo.insert(tx, m)
        .compose(x -> record(tx, m, "created", null, caller.userId(), "metadata.created"))))
      .map(v -> m.toJson())
      .recover(err -> err instanceof PgException pe && UNIQUE_VIOLATION.equals(pe.getSqlState())
        ? Future.failedFuture(new ServiceException(ErrorCode.CONFLICT, "contentId: already has metadata",
        new JsonObject().put("fields", new JsonObject().put("contentId", "already has metadata"))))
        : Future.failedFuture(err));
  }

  public Future<JsonObject> get(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return repo.byId(pool, id, false).map(m -> m.orElseThrow(() -> ServiceException.notFound("metadata")).toJson());
  }

  public Future<JsonObject> byContent(JsonObject body) {
    UUID contentId = Fields.requiredId(body, "contentId");
    return repo.byContent(pool, contentId, false)
      .map(m -> m.orElseThrow(() -> ServiceException.notFound("metadata")).toJson());
  }

  /** Replaces the editable fields, given the version the caller read. */
  public Future<JsonObject> update(Caller caller, JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("id", true);
    Integer version = f.requiredInteger("version", 1, Integer.MAX_VALUE);
    Metadata.Fields fields = MetadataInput.read(f);
    f.validate();
    return pool.withTransaction(tx -> lock(tx, id).compose(m -> {
      if (m.version() != version) {
        throw ServiceException.staleVersion(version, m.version());
      }
      Metadata next = m.next(fields, now());
      return repo.save(tx, next).compose(v -> record(tx, next, "updated", null, caller.userId(), "metadata.updated"))
        .map(v -> next.toJson());
    }));
  }

  public Future<JsonObject> versions(JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("id", true);
    Paging paging = Paging.from(f, Map.of("version", "version"), "version,desc");
    f.validate();
    return repo.byId(pool, id, false).compose(m -> {
      m.orElseThrow(() -> ServiceException.notFound("metadata"));
      return repo.versions(pool, id, paging.size(), paging.offset());
    }).compose(items -> repo.countVersions(pool, id).map(total -> paging.answer(
      items.stream().map(MetadataRepository.VersionInfo::toJson).toList(), total)));
  }

  public Future<JsonObject> version(JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("id", true);
    Integer version = f.requiredInteger("version", 1, Integer.MAX_VALUE);
    f.validate();
    return repo.byId(pool, id, false).compose(m -> {
      m.orElseThrow(() -> ServiceException.notFound("metadata"));
      return repo.snapshot(pool, id, version);
    }).map(s -> s.orElseThrow(() -> ServiceException.notFound("version " + version)));
  }

  /** Makes the fields of an old version current again, as a new version. */
  public Future<JsonObject> restore(Caller caller, JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("id", true);
    Integer version = f.requiredInteger("version", 1, Integer.MAX_VALUE);
    f.validate();
    return pool.withTransaction(tx -> lock(tx, id).compose(m -> repo.snapshot(tx, id, version).compose(old -> {
      JsonObject snapshot = old.orElseThrow(() -> ServiceException.notFound("version " + version));
      Metadata next = m.next(Metadata.Fields.fromJson(snapshot), now());
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
      Metadata gone = m.next(m.fields(), now());
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

  /** Asks the CMS, as the caller, whether the content exists: 422 if it does not. */
  private Future<Void> contentExists(Caller caller, UUID contentId, String contentType) {
    return cms.requireContent(caller, contentId, contentType);
  }

  private Future<Metadata> lock(SqlConnection tx, UUID id) {
    return repo.byId(tx, id, true).map(m -> m.orElseThrow(() -> ServiceException.notFound("metadata")));
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
