package io.mediamesh.playback.persistence;

import io.mediamesh.common.api.ContentType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;
import java.util.UUID;

/**
 * What the public may play, read from the content projection this service keeps ({@code readmodel}): a published
 * program or episode (an episode only while its program is published) and its newest video or audio asset whose
 * HLS is READY.
 */
public final class Catalog {

  private static final String SELECT = """
    SELECT v.id, v.type, v.program_id, v.title, v.duration_seconds, a.id AS media_id, a.playback_master,
           a.playback_seconds, v.rating AS age_rating
      FROM rm_visible v
      LEFT JOIN LATERAL (SELECT m.id, m.playback_master, m.playback_seconds FROM rm_media m
                          WHERE m.content_id = v.id AND m.kind IN ('VIDEO', 'AUDIO') AND m.status = 'READY'
                            AND m.playback_status = 'READY' AND m.playback_master IS NOT NULL
                          ORDER BY m.created_at DESC, m.id LIMIT 1) a ON true
     WHERE v.id = $1 AND v.type = $2""";

  /**
   * A visible program or episode. {@code master} is the storage key of its master playlist (null: nothing plays);
   * {@code durationSeconds} the asset's or, failing that, the content's; {@code ageRating} its own or (an episode
   * without one) its program's.
   */
  public record Item(ContentType type, UUID id, UUID programId, String title, Integer durationSeconds, UUID mediaId,
                     String master, Integer ageRating) {
    public boolean playable() {
      return master != null;
    }

    /** The storage prefix the master playlist and everything it names live under. */
    public String prefix() {
      return master.substring(0, master.lastIndexOf('/') + 1);
    }

    public String entry() {
      return master.substring(master.lastIndexOf('/') + 1);
    }
  }

  public Future<Optional<Item>> item(SqlClient db, ContentType type, UUID id) {
    return db.preparedQuery(SELECT).execute(Tuple.of(id, type.name())).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(item(it.next())) : Optional.empty();
    });
  }

  /** Whether a program or episode exists at all in the projection (published or not): rules may precede publishing. */
  public Future<Boolean> exists(SqlClient db, ContentType type, UUID id) {
    return db.preparedQuery("SELECT 1 FROM rm_content WHERE id = $1 AND type = $2 AND status <> 'DELETED'")
      .execute(Tuple.of(id, type.name())).map(rows -> rows.size() > 0);
  }

  private static Item item(Row r) {
    Integer seconds = r.getInteger("playback_seconds");
    return new Item(ContentType.valueOf(r.getString("type")), r.getUUID("id"), r.getUUID("program_id"),
      r.getString("title"), seconds != null ? seconds : r.getInteger("duration_seconds"), r.getUUID("media_id"),
      r.getString("playback_master"), r.getInteger("age_rating"));
  }
}
