package io.mediamesh.cms.persistence;

import io.mediamesh.cms.domain.Program;
import io.mediamesh.common.api.CmsApi.Status;
import io.mediamesh.common.validation.Paging;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for programs; every method runs on the client (transaction) it is given. */
public final class ProgramRepository {

  public static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "updatedAt", "updated_at",
    "publishedAt", "published_at", "title", "title");
  private static final String COLUMNS =
    "id, title, description, status, publish_at, published_at, created_at, updated_at, created_by, version, kind";

  public Future<Void> insert(SqlClient db, Program p) {
    return db.preparedQuery("INSERT INTO programs (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        + "$11)")
      .execute(Tuple.tuple(java.util.Arrays.asList(p.id(), p.title(), p.description(), p.status().name(),
        p.publishAt(), p.publishedAt(), p.createdAt(), p.updatedAt(), p.createdBy(), p.version(), p.kind().name())))
      .mapEmpty();
  }

  public Future<Optional<Program>> byId(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM programs WHERE id = $1").execute(Tuple.of(id))
      .map(ProgramRepository::first);
  }

  public Future<Optional<Program>> lock(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM programs WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
      .map(ProgramRepository::first);
  }

  /** Writes every mutable field of {@code p} (already carrying its new version and timestamps). */
  public Future<Void> save(SqlClient db, Program p) {
    return db.preparedQuery("UPDATE programs SET title = $2, description = $3, status = $4, publish_at = $5, "
        + "published_at = $6, updated_at = $7, version = $8, kind = $9 WHERE id = $1")
      .execute(Tuple.tuple(java.util.Arrays.asList(p.id(), p.title(), p.description(), p.status().name(),
        p.publishAt(), p.publishedAt(), p.updatedAt(), p.version(), p.kind().name())))
      .mapEmpty();
  }

  public Future<Void> delete(SqlClient db, UUID id) {
    return db.preparedQuery("DELETE FROM programs WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  public Future<List<Program>> list(SqlClient db, Status status, Paging paging) {
    String where = status == null ? "" : " WHERE status = $3";
    Tuple args = status == null ? Tuple.of(paging.size(), paging.offset())
      : Tuple.of(paging.size(), paging.offset(), status.name());
    return db.preparedQuery("SELECT " + COLUMNS + " FROM programs" + where + " ORDER BY " + paging.orderBy()
      + " LIMIT $1 OFFSET $2").execute(args).map(ProgramRepository::all);
  }

  public Future<Long> count(SqlClient db, Status status) {
    return (status == null ? db.query("SELECT count(*) FROM programs").execute()
      : db.preparedQuery("SELECT count(*) FROM programs WHERE status = $1").execute(Tuple.of(status.name())))
      .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Programs whose scheduled publication is due, locked, skipping those another instance is publishing. */
  /** Programs due at {@code now} (the service's clock, not the database's), locked, skipping those others hold. */
  public Future<List<UUID>> lockDue(SqlClient db, java.time.OffsetDateTime now, int limit) {
    return db.preparedQuery("SELECT id FROM programs WHERE publish_at <= $2 AND status IN ('DRAFT', 'UNPUBLISHED') "
        + "ORDER BY publish_at LIMIT $1 FOR UPDATE SKIP LOCKED").execute(Tuple.of(limit, now))
      .map(rows -> {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getUUID(0)));
        return ids;
      });
  }

  private static Optional<Program> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
  }

  private static List<Program> all(RowSet<Row> rows) {
    List<Program> out = new ArrayList<>();
    rows.forEach(r -> out.add(map(r)));
    return out;
  }

  static Program map(Row r) {
    return new Program(r.getUUID("id"), r.getString("title"), r.getString("description"),
      io.mediamesh.common.api.CmsApi.ProgramKind.valueOf(r.getString("kind")), Status.valueOf(r.getString("status")), r.getOffsetDateTime("publish_at"), r.getOffsetDateTime("published_at"),
      r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"), r.getString("created_by"),
      r.getInteger("version"));
  }
}
