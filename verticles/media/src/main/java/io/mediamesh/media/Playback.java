package io.mediamesh.media;

import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.db.Times;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.domain.Kind;
import io.mediamesh.media.persistence.AssetRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * A video or audio asset's {@code playback}, kept from the processing service's TRANSCODE job events (media stays
 * the owner of assets; processing only tells): PROCESSING when a job starts, READY as soon as its first rung is
 * published (the asset plays while higher rungs are made), complete with poster and storyboard when it ends, FAILED
 * with the job's reason. An event older than what the asset shows (by the job's {@code updatedAt}) is ignored, so a
 * replay cannot take it back. Each change bumps the asset's version and emits {@code media.playback} with the asset's
 * snapshot and its playback.
 */
final class Playback {

  static final String EVENT = "media.playback";

  private final Pool pool;
  private final Clock clock;
  private final AssetRepository assets = new AssetRepository();

  Playback(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Applies one {@code processing.*} event inside the consumer's transaction. */
  Future<Void> apply(EventEnvelope event, SqlConnection tx) {
    JsonObject job = event.data();
    if (!"TRANSCODE".equals(job.getString("type"))) {
      return Future.succeededFuture();
    }
    UUID mediaId;
    try {
      mediaId = UUID.fromString(job.getString("mediaId", ""));
    } catch (IllegalArgumentException e) {
      throw ServiceException.validation("mediaId", "is not a media id");
    }
    return assets.byId(tx, mediaId, true).compose(found -> {
      if (found.isEmpty() || found.get().status() == AssetStatus.DELETING) {
        return Future.succeededFuture();
      }
      Asset asset = found.get();
      return tx.preparedQuery("SELECT playback FROM assets WHERE id = $1").execute(Tuple.of(mediaId))
        .compose(rows -> {
          JsonObject current = (JsonObject) rows.iterator().next().getValue("playback");
          JsonObject next = older(job, current) ? null : from(event.type(), job);
          if (next == null) {
            return Future.succeededFuture();
          }
          Integer duration = next.getValue("durationSeconds") instanceof Number n
            ? Integer.valueOf((int) Math.round(n.doubleValue())) : asset.durationSeconds();
          return tx.preparedQuery("UPDATE assets SET playback = $2, duration_seconds = $3, version = version + 1, "
              + "updated_at = $4 WHERE id = $1")
            .execute(Tuple.of(mediaId, next, duration, Times.now(clock)))
            // the asset's snapshot (one version on) with its playback: read models keep up with the version
            .compose(v -> Outbox.append(tx, Topics.MEDIA, EventEnvelope.create(EVENT, AssetEvents.SOURCE,
              mediaId.toString(), asset.toJson().put("version", asset.version() + 1)
                .put("durationSeconds", duration).put("playback", next))));
        });
    });
  }

  /** The stored playback an event of {@code type} about {@code job} makes, or null for one that changes nothing. */
  static JsonObject from(String type, JsonObject job) {
    JsonObject output = job.getValue("output") instanceof JsonObject o ? o : new JsonObject();
    JsonArray renditions = output.getValue("renditions") instanceof JsonArray a ? a : new JsonArray();
    String status = switch (type) {
      case "processing.started" -> "PROCESSING";
      case "processing.progressed" -> renditions.isEmpty() ? "PROCESSING" : "READY";
      case "processing.completed" -> "READY";
      case "processing.failed", "processing.canceled" -> "FAILED";
      default -> null;
    };
    if (status == null) {
      return null;
    }
    JsonObject p = new JsonObject().put("status", status).put("jobId", job.getString("id"))
      .put("jobUpdatedAt", job.getString("updatedAt"));
    if (status.equals("FAILED")) {
      return p.put("error", job.getString("error")).put("renditions", new JsonArray());
    }
    return p.put("durationSeconds", output.getValue("durationSeconds")).put("renditions", renditions)
      .put("master", output.getString("master")).put("poster", output.getString("poster"))
      .put("storyboard", output.getJsonObject("storyboard"));
  }

  private static boolean older(JsonObject job, JsonObject current) {
    if (current == null || current.getString("jobUpdatedAt") == null || job.getString("updatedAt") == null) {
      return false;
    }
    return Instant.parse(job.getString("updatedAt")).isBefore(Instant.parse(current.getString("jobUpdatedAt")));
  }

  /** The stored playback of these assets (video and audio only; absent for others or before any job). */
  Future<Map<UUID, JsonObject>> of(List<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery("SELECT id, playback FROM assets WHERE id = ANY($1) AND playback IS NOT NULL")
      .execute(Tuple.of(ids.toArray(new UUID[0]))).map(rows -> {
        Map<UUID, JsonObject> out = new HashMap<>();
        rows.forEach(r -> out.put(r.getUUID("id"), (JsonObject) r.getValue("playback")));
        return out;
      });
  }

  /**
   * The API's {@code playback} of an asset of {@code kind} (SPEC: status, durationSeconds, renditions, posterUrl,
   * storyboard) with URLs made by {@code url} (key, MIME type), or null for images and thumbnails.
   */
  static JsonObject view(Kind kind, JsonObject stored, BiFunction<String, String, String> url) {
    if (kind != Kind.VIDEO && kind != Kind.AUDIO) {
      return null;
    }
    if (stored == null) {
      return new JsonObject().put("status", "PENDING").put("durationSeconds", null).put("renditions", new JsonArray())
        .put("posterUrl", null).put("storyboard", null);
    }
    JsonArray renditions = new JsonArray();
    (stored.getValue("renditions") instanceof JsonArray a ? a : new JsonArray()).forEach(o -> {
      JsonObject r = (JsonObject) o;
      renditions.add(new JsonObject().put("height", r.getInteger("height")).put("width", r.getInteger("width"))
        .put("bitrate", r.getLong("bitrate")).put("codecs", r.getString("codecs")));
    });
    JsonObject board = stored.getJsonObject("storyboard");
    String poster = stored.getString("poster");
    return new JsonObject().put("status", stored.getString("status"))
      .put("durationSeconds", stored.getValue("durationSeconds")).put("renditions", renditions)
      .put("posterUrl", poster == null ? null : url.apply(poster, "image/jpeg"))
      .put("storyboard", board == null ? null : new JsonObject()
        .put("url", url.apply(board.getString("image"), "image/jpeg"))
        .put("vttUrl", url.apply(board.getString("vtt"), "text/vtt"))
        .put("tileWidth", board.getInteger("tileWidth")).put("tileHeight", board.getInteger("tileHeight"))
        .put("interval", board.getInteger("interval")))
      .put("error", stored.getString("error"));
  }
}
