package io.mediamesh.processing.media;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeTest {

  @Test
  void readsTheFirstVideoAndAudioStreamsAndSkipsCoverArt() {
    Probe p = Probe.parse(new JsonObject("""
      {"streams": [
        {"codec_type": "video", "codec_name": "mjpeg", "width": 600, "height": 600, "disposition": {"attached_pic": 1}},
        {"codec_type": "video", "codec_name": "h264", "profile": "High", "level": 31, "width": 1280, "height": 720,
         "avg_frame_rate": "30000/1001", "bit_rate": "2500000", "pix_fmt": "yuv420p", "disposition": {"attached_pic": 0}},
        {"codec_type": "audio", "codec_name": "aac", "bit_rate": "128000", "channels": 2, "sample_rate": "48000"}],
       "format": {"duration": "61.5", "size": "20000000", "bit_rate": "2601626"}}"""));
    assertThat(p.durationSeconds()).isEqualTo(61.5);
    assertThat(p.video().codec()).isEqualTo("h264");
    assertThat(p.video().fps()).isCloseTo(29.97, org.assertj.core.data.Offset.offset(0.01));
    assertThat(p.videoBitrate()).isEqualTo(2_500_000);
    assertThat(p.audio().codec()).isEqualTo("aac");
    assertThat(p.cover()).isFalse();
  }

  @Test
  void audioWithCoverArtIsAudioOnlyWithACover() {
    Probe p = Probe.parse(new JsonObject("""
      {"streams": [
        {"codec_type": "audio", "codec_name": "mp3", "channels": 2, "sample_rate": "44100"},
        {"codec_type": "video", "codec_name": "png", "width": 500, "height": 500, "disposition": {"attached_pic": 1}}],
       "format": {"duration": "10.0", "size": "160000", "bit_rate": "128000"}}"""));
    assertThat(p.video()).isNull();
    assertThat(p.cover()).isTrue();
    assertThat(p.audioBitrate()).isEqualTo(128_000);
  }

  @Test
  void aFileWithoutStreamsOrDurationIsRefused() {
    assertThatThrownBy(() -> Probe.parse(new JsonObject("{\"streams\": [], \"format\": {}}")))
      .hasMessageContaining("no video or audio");
    assertThatThrownBy(() -> Probe.parse(new JsonObject("""
      {"streams": [{"codec_type": "audio", "codec_name": "aac"}], "format": {"duration": "N/A"}}""")))
      .hasMessageContaining("no duration");
  }
}
