package io.mediamesh.media;

import io.mediamesh.media.domain.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlaybackTest {

  static JsonObject job(String status, JsonObject output) {
    return new JsonObject().put("id", "j1").put("type", "TRANSCODE").put("status", status)
      .put("updatedAt", "2026-12-03T10:00:00Z").put("error", status.equals("FAILED") ? "moov atom not found" : null)
      .put("output", output);
  }

  static JsonObject rung(String name, int height) {
    return new JsonObject().put("name", name).put("height", height).put("width", height * 16 / 9)
      .put("bitrate", 500_000).put("codecs", "avc1.64001e,mp4a.40.2").put("playlist", name + "/index.m3u8");
  }

  @Test
  void eachJobEventSetsTheStatusItMeans() {
    assertThat(Playback.from("processing.started", job("RUNNING", null)).getString("status")).isEqualTo("PROCESSING");
    assertThat(Playback.from("processing.progressed", job("RUNNING", new JsonObject())).getString("status"))
      .isEqualTo("PROCESSING");
    JsonObject firstRung = Playback.from("processing.progressed", job("RUNNING", new JsonObject()
      .put("durationSeconds", 10.0).put("renditions", new JsonArray().add(rung("v240", 240)))));
    assertThat(firstRung.getString("status")).as("playable at its first rung").isEqualTo("READY");
    assertThat(firstRung.getJsonArray("renditions")).hasSize(1);
    JsonObject failed = Playback.from("processing.failed", job("FAILED", null));
    assertThat(failed.getString("status")).isEqualTo("FAILED");
    assertThat(failed.getString("error")).isEqualTo("moov atom not found");
    assertThat(failed.getJsonArray("renditions")).isEmpty();
    assertThat(Playback.from("processing.canceled", job("CANCELED", null)).getString("status")).isEqualTo("FAILED");
    assertThat(Playback.from("processing.unknown", job("RUNNING", null))).isNull();
  }

  @Test
  void theViewHasUrlsAndOnlyVideoAndAudioHaveOne() {
    assertThat(Playback.view(Kind.IMAGE, null, (k, t) -> k)).isNull();
    assertThat(Playback.view(Kind.VIDEO, null, (k, t) -> k).getString("status")).isEqualTo("PENDING");
    JsonObject stored = Playback.from("processing.completed", job("SUCCEEDED", new JsonObject()
      .put("durationSeconds", 10.0).put("renditions", new JsonArray().add(rung("v240", 240)).add(rung("v360", 360)))
      .put("poster", "media/a/hls/poster.jpg").put("storyboard", new JsonObject().put("image", "media/a/hls/s.jpg")
        .put("vtt", "media/a/hls/s.vtt").put("tileWidth", 160).put("tileHeight", 90).put("interval", 2))));
    JsonObject view = Playback.view(Kind.VIDEO, stored, (key, type) -> "https://cdn.test/" + key + "?as=" + type);
    assertThat(view.getString("status")).isEqualTo("READY");
    assertThat(view.getJsonArray("renditions").getJsonObject(1).fieldNames())
      .containsExactlyInAnyOrder("height", "width", "bitrate", "codecs");
    assertThat(view.getString("posterUrl")).isEqualTo("https://cdn.test/media/a/hls/poster.jpg?as=image/jpeg");
    assertThat(view.getJsonObject("storyboard").getString("vttUrl")).endsWith("s.vtt?as=text/vtt");
  }
}
