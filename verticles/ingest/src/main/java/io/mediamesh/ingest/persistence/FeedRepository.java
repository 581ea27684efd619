package io.mediamesh.ingest.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What has been imported from each feed: its program, and per item its episode numbers, episode and metadata ids
 * and a hash of what was sent (so an unchanged item is skipped without asking the CMS).
 */
public final class FeedRepository {

  public record FeedState(UUID programId, UUID programMetadataId, String programHash) {
  }

  public record ItemState(int seasonNumber, int episodeNumber, UUID episodeId, UUID metadataId, String hash) {
  }

  /** The feed's state, creating its row on first import. */
  public Future<FeedState> ensure(SqlClient db, String feedKey, String sourceType, String url) {
    return db.preparedQuery("INSERT INTO feeds (feed_key, source_type, url) VALUES ($1, $2, $3) "
        + "ON CONFLICT (feed_key) DO NOTHING").execute(Tuple.of(feedKey, sourceType, url))
      .compose(v -> db.preparedQuery("SELECT program_id, program_metadata_id, program_hash FROM feeds "
        + "WHERE feed_key = $1").execute(Tuple.of(feedKey)))
      .map(rows -> {
        Row r = rows.iterator().next();
        return new FeedState(r.getUUID("program_id"), r.getUUID("program_metadata_id"), r.getString("program_hash"));
      });
  }

  public Future<Void> saveProgram(SqlClient db, String feedKey, UUID programId, UUID metadataId, String hash) {
    return db.preparedQuery("UPDATE feeds SET program_id = $2, program_metadata_id = $3, program_hash = $4, "
      + "updated_at = now() WHERE feed_key = $1").execute(Tuple.of(feedKey, programId, metadataId, hash)).mapEmpty();
  }

  /** The program was deleted in the CMS (with its episodes): the next import starts the feed afresh. */
  public Future<Void> forgetProgram(SqlClient db, String feedKey) {
    return db.preparedQuery("DELETE FROM feed_items WHERE feed_key = $1").execute(Tuple.of(feedKey))
      .compose(v -> saveProgram(db, feedKey, null, null, null));
  }

  public Future<Map<String, ItemState>> items(SqlClient db, String feedKey) {
    return db.preparedQuery("SELECT item_key, season_number, episode_number, episode_id, metadata_id, content_hash "
      + "FROM feed_items WHERE feed_key = $1").execute(Tuple.of(feedKey)).map(rows -> {
        Map<String, ItemState> out = new LinkedHashMap<>();
        for (Row r : rows) {
          out.put(r.getString("item_key"), new ItemState(r.getInteger("season_number"), r.getInteger("episode_number"),
            r.getUUID("episode_id"), r.getUUID("metadata_id"), r.getString("content_hash")));
        }
        return out;
      });
  }

  /** Reserves an item's episode numbers before its episode is created. */
  public Future<Void> reserve(SqlClient db, String feedKey, String itemKey, int season, int number) {
    return db.preparedQuery("INSERT INTO feed_items (feed_key, item_key, season_number, episode_number) "
      + "VALUES ($1, $2, $3, $4)").execute(Tuple.of(feedKey, itemKey, season, number)).mapEmpty();
  }

  public Future<Void> saveItem(SqlClient db, String feedKey, String itemKey, UUID episodeId, UUID metadataId,
                               String hash, String imageUrl, String mediaUrl) {
    return db.preparedQuery("UPDATE feed_items SET episode_id = $3, metadata_id = $4, content_hash = $5, "
        + "image_url = $6, media_url = $7, updated_at = now() WHERE feed_key = $1 AND item_key = $2")
      .execute(Tuple.tuple(java.util.Arrays.asList(feedKey, itemKey, episodeId, metadataId, hash, imageUrl,
        mediaUrl))).mapEmpty();
  }
}
