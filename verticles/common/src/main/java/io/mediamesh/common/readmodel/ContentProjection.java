package io.mediamesh.common.readmodel;

import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies content, metadata and media events to the shared read-model tables ({@code db/readmodel}): the one place
 * where search and discovery learn what exists. Every write is guarded by the event's aggregate version, so events
 * may arrive late, twice or replayed from the start and the rows end the same. The answer names the content whose
 * public view may have changed; a program in it also stands for its episodes (their visibility follows it).
 */
public final class ContentProjection {

  /** The topics a read model consumes to keep this projection. */
  public static final Set<String> TOPICS = Set.of(Topics.CONTENT, Topics.METADATA, Topics.MEDIA);

  private static final String UPSERT_CONTENT = """
    INSERT INTO rm_content (id, type, program_id, title, description, status, season_number, episode_number,
                            duration_seconds, published_at, version, changed_at, kind)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, program_id = EXCLUDED.program_id, title = EXCLUDED.title,
      description = EXCLUDED.description, status = EXCLUDED.status, season_number = EXCLUDED.season_number,
      episode_number = EXCLUDED.episode_number, duration_seconds = EXCLUDED.duration_seconds,
      published_at = EXCLUDED.published_at, version = EXCLUDED.version, changed_at = EXCLUDED.changed_at,
      kind = EXCLUDED.kind
    WHERE rm_content.version < EXCLUDED.version""";

  private static final String UPSERT_METADATA = """
    INSERT INTO rm_metadata (id, content_id, title, description, category, language, tags, duration_seconds,
                             publish_date, deleted, version, genres, age_rating)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT (id) DO UPDATE SET content_id = EXCLUDED.content_id, title = EXCLUDED.title,
      description = EXCLUDED.description, category = EXCLUDED.category, language = EXCLUDED.language,
      tags = EXCLUDED.tags, duration_seconds = EXCLUDED.duration_seconds, publish_date = EXCLUDED.publish_date,
      deleted = EXCLUDED.deleted, version = EXCLUDED.version, genres = EXCLUDED.genres,
      age_rating = EXCLUDED.age_rating
    WHERE rm_metadata.version < EXCLUDED.version""";

  private static final String UPSERT_MEDIA = """
    INSERT INTO rm_media (id, content_id, kind, status, storage_key, parent_id, created_at, version, playback_status,
                          playback_master, playback_seconds)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (id) DO UPDATE SET content_id = EXCLUDED.content_id, kind = EXCLUDED.kind, status = EXCLUDED.status,
      storage_key = EXCLUDED.storage_key, parent_id = EXCLUDED.parent_id, version = EXCLUDED.version,
      playback_status = coalesce(EXCLUDED.playback_status, rm_media.playback_status),
      playback_master = CASE WHEN EXCLUDED.playback_status IS NULL THEN rm_media.playback_master
                             ELSE EXCLUDED.playback_master END,
      playback_seconds = coalesce(EXCLUDED.playback_seconds, rm_media.playback_seconds)
    WHERE rm_media.version < EXCLUDED.version""";

  private ContentProjection() {
  }

  /**
   * Applies the events inside {@code tx}, batched per table (the version guard makes their order irrelevant).
   *
   * @return the ids of the content (programs and episodes) whose public view may have changed
   * @throws IllegalArgumentException (as a failed future) for an event whose data cannot be read: it can never apply
   */
  public static Future<Set<UUID>> apply(List<EventEnvelope> events, SqlConnection tx) {
    Set<UUID> touched = new LinkedHashSet<>();
    // the version guard makes the outcome independent of order, so each table's writes go as one batch
    Map<String, List<Tuple>> batches = new LinkedHashMap<>();
    for (EventEnvelope event : events) {
      Write write;
      try {
        write = write(event);
      } catch (RuntimeException e) {
        return Future.failedFuture(new IllegalArgumentException("event " + event.id() + " (" + event.type()
          + "): " + e.getMessage(), e));
      }
      if (write != null) {
        touched.add(write.contentId());
        batches.computeIfAbsent(write.sql(), sql -> new ArrayList<>()).add(write.params());
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, List<Tuple>> batch : batches.entrySet()) {
      chain = chain.compose(v -> tx.preparedQuery(batch.getKey()).executeBatch(batch.getValue()).mapEmpty());
    }
    return chain.map(touched);
  }

  /** The content ids the events are about, without applying them (e.g. to read the state before a change). */
  public static Set<UUID> contentIds(List<EventEnvelope> events) {
    Set<UUID> ids = new LinkedHashSet<>();
    for (EventEnvelope event : events) {
      try {
        Write write = write(event);
        if (write != null) {
          ids.add(write.contentId());
        }
      } catch (RuntimeException e) {
        // an unreadable event touches nothing; apply() rejects it
      }
    }
    return ids;
  }

  private record Write(String sql, Tuple params, UUID contentId) {
  }

  /** The row write of one event, or null for an event the projection does not keep. */
  private static Write write(EventEnvelope event) {
    String type = event.type();
    JsonObject d = event.data();
    if (type.startsWith("content.")) {
      UUID id = uuid(d, "id");
      String status = type.equals("content.deleted") ? "DELETED" : required(d, "status");
      return new Write(UPSERT_CONTENT, Tuple.tuple()
        .addUUID(id).addString(required(d, "contentType")).addUUID(optionalUuid(d, "programId"))
        .addString(required(d, "title")).addString(d.getString("description")).addString(status)
        .addInteger(d.getInteger("seasonNumber")).addInteger(d.getInteger("episodeNumber"))
        .addInteger(d.getInteger("durationSeconds")).addOffsetDateTime(time(d.getString("publishedAt")))
        .addInteger(version(d)).addOffsetDateTime(time(event.time().toString())).addString(d.getString("kind")), id);
    }
    if (type.startsWith("metadata.")) {
      UUID contentId = uuid(d, "contentId");
      JsonArray tags = d.getJsonArray("tags", new JsonArray());
      return new Write(UPSERT_METADATA, Tuple.tuple()
        .addUUID(uuid(d, "id")).addUUID(contentId).addString(d.getString("title"))
        .addString(d.getString("description")).addString(d.getString("category")).addString(d.getString("language"))
        .addArrayOfString(tags.stream().map(String::valueOf).toArray(String[]::new))
        .addInteger(d.getInteger("durationSeconds")).addLocalDate(date(d.getString("publishDate")))
        .addBoolean(type.equals("metadata.deleted")).addInteger(version(d))
        .addArrayOfString(d.getJsonArray("genres", new JsonArray()).stream().map(String::valueOf)
          .toArray(String[]::new))
        .addInteger(d.getInteger("ageRating")), contentId);
    }
    if (type.startsWith("media.")) {
      UUID contentId = uuid(d, "contentId");
      String status = type.equals("media.deleted") ? "DELETED" : required(d, "status");
      JsonObject playback = d.getValue("playback") instanceof JsonObject p ? p : null;
      return new Write(UPSERT_MEDIA, Tuple.tuple()
        .addUUID(uuid(d, "id")).addUUID(contentId).addString(required(d, "kind")).addString(status)
        .addString(d.getString("storageKey")).addUUID(optionalUuid(d, "parentId"))
        .addOffsetDateTime(time(required(d, "createdAt"))).addInteger(version(d))
        .addString(playback == null ? null : playback.getString("status"))
        .addString(playback == null ? null : playback.getString("master"))
        .addInteger(playback == null || !(playback.getValue("durationSeconds") instanceof Number n) ? null
          : Integer.valueOf((int) Math.round(n.doubleValue()))), contentId);
    }
    return null;
  }

  private static String required(JsonObject d, String field) {
    String value = d.getString(field);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return value;
  }

  private static UUID uuid(JsonObject d, String field) {
    return UUID.fromString(required(d, field));
  }

  private static UUID optionalUuid(JsonObject d, String field) {
    String value = d.getString(field);
    return value == null ? null : UUID.fromString(value);
  }

  private static int version(JsonObject d) {
    Integer v = d.getInteger("version");
    if (v == null) {
      throw new IllegalArgumentException("version is missing");
    }
    return v;
  }

  private static OffsetDateTime time(String value) {
    return value == null ? null : OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static LocalDate date(String value) {
    return value == null ? null : LocalDate.parse(value);
  }
}
