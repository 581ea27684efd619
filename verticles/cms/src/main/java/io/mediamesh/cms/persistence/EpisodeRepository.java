package io.mediamesh.cms.persistence;

import io.mediamesh.cms.domain.Episode;
import io.mediamesh.common.api.CmsApi.Status;
import io.mediamesh.common.validation.Paging;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for episodes; every method runs on the client (transaction) it is given. */
public final class EpisodeRepository {

  public static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "updatedAt", "updated_at",
    "publishedAt", "published_at", "title", "title", "seasonNumber", "season_number, episode_number",
    "episodeNumber", "episode_number");
  private static final String COLUMNS = "id, program_id, season_number, episode_number, title, description, "
    + "duration_seconds, status, publish_at, published_at, created_at, updated_at, version";

  public Future<Void> insert(SqlClient db, Episode e) {
    return db.preparedQuery("INSERT INTO episodes (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        + "$11, $12, $13)")
      .execute(Tuple.tuple(Arrays.asList(e.id(), e.programId(), e.seasonNumber(), e.episodeNumber(), e.title(),
        e.description(), e.durationSeconds(), e.status().name(), e.publishAt(), e.publishedAt(), e.createdAt(),
        e.updatedAt(), e.version())))
      .mapEmpty();
  }

  public Future<Optional<Episode>> byId(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM episodes WHERE id = $1").execute(Tuple.of(id))
      .map(EpisodeRepository::first);
  }

  public Future<Optional<Episode>> lock(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM episodes WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
      .map(EpisodeRepository::first);
  }

  public Future<Void> save(SqlClient db, Episode e) {
    return db.preparedQuery("UPDATE episodes SET season_number = $2, episode_number = $3, title = $4, "
        + "description = $5, duration_seconds = $6, status = $7, publish_at = $8, published_at = $9, updated_at = $10, "
        + "version = $11 WHERE id = $1")
      .execute(Tuple.tuple(Arrays.asList(e.id(), e.seasonNumber(), e.episodeNumber(), e.title(), e.description(),
        e.durationSeconds(), e.status().name(), e.publishAt(), e.publishedAt(), e.updatedAt(), e.version())))
      .mapEmpty();
  }

  public Future<Void> delete(SqlClient db, UUID id) {
    return db.preparedQuery("DELETE FROM episodes WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  /** All episodes of a program, locked (before the program and its episodes are deleted). */
  public Future<List<Episode>> lockOfProgram(SqlClient db, UUID programId) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM episodes WHERE program_id = $1 ORDER BY season_number, "
      + "episode_number FOR UPDATE").execute(Tuple.of(programId)).map(EpisodeRepository::all);
  }

  public Future<List<Episode>> list(SqlClient db, UUID programId, Status status, Paging paging) {
    Filter f = filter(programId, status, 3);
    return db.preparedQuery("SELECT " + COLUMNS + " FROM episodes" + f.where + " ORDER BY " + paging.orderBy()
        + " LIMIT $1 OFFSET $2")
      .execute(Tuple.tuple(concat(List.of(paging.size(), paging.offset()), f.args))).map(EpisodeRepository::all);
  }

  public Future<Long> count(SqlClient db, UUID programId, Status status) {
    Filter f = filter(programId, status, 1);
    return db.preparedQuery("SELECT count(*) FROM episodes" + f.where).execute(Tuple.tuple(f.args))
      .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Due episodes whose program is not archived, locked with their program (skipping any held elsewhere): the
   * scheduler then never waits for a program while holding episodes, the reverse of the order user actions lock
   * in, so the two cannot deadlock.
   */
  /** Episodes due at {@code now} (the service's clock), of programs not archived, locked, skipping held ones. */
  public Future<List<UUID>> lockDue(SqlClient db, java.time.OffsetDateTime now, int limit) {
    return db.preparedQuery("SELECT e.id FROM episodes e JOIN programs p ON p.id = e.program_id "
        + "WHERE e.publish_at <= $2 AND e.status IN ('DRAFT', 'UNPUBLISHED') AND p.status <> 'ARCHIVED' "
        + "ORDER BY e.publish_at LIMIT $1 FOR UPDATE OF e, p SKIP LOCKED").execute(Tuple.of(limit, now))
      .map(rows -> {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getUUID(0)));
        return ids;
      });
  }

  private record Filter(String where, List<Object> args) {
  }

  private static Filter filter(UUID programId, Status status, int firstParam) {
    List<String> clauses = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (programId != null) {
      args.add(programId);
      clauses.add("program_id = $" + (firstParam + args.size() - 1));
    }
    if (status != null) {
      args.add(status.name());
      clauses.add("status = $" + (firstParam + args.size() - 1));
    }
    return new Filter(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), args);
  }

  private static List<Object> concat(List<Object> a, List<Object> b) {
    List<Object> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static Optional<Episode> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
  }

  private static List<Episode> all(RowSet<Row> rows) {
    List<Episode> out = new ArrayList<>();
    rows.forEach(r -> out.add(map(r)));
    return out;
  }

  private static Episode map(Row r) {
    return new Episode(r.getUUID("id"), r.getUUID("program_id"), r.getInteger("season_number"),
      r.getInteger("episode_number"), r.getString("title"), r.getString("description"),
      r.getInteger("duration_seconds"), Status.valueOf(r.getString("status")), r.getOffsetDateTime("publish_at"),
      r.getOffsetDateTime("published_at"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"),
      r.getInteger("version"));
  }
}
