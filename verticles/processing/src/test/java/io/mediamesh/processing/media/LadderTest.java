package io.mediamesh.processing.media;

import io.mediamesh.processing.media.Ladder.Rung;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LadderTest {

  static Probe video(String codec, int width, int height, double fps, long videoBits, String audioCodec,
                     long audioBits) {
    return new Probe(60, 100_000_000, videoBits + audioBits, new Probe.Video(codec, "High", 40, width, height, fps,
      videoBits, "yuv420p"), audioCodec == null ? null : new Probe.Audio(audioCodec, audioBits, 2, 48_000), false);
  }

  @Test
  void rungsGoUpToTheSourceSizeAndNoFurther() {
    List<Rung> ladder = Ladder.plan(video("hevc", 1920, 1080, 25, 8_000_000, "aac", 128_000), false);
    assertThat(ladder).extracting(Rung::name).containsExactly("v240", "v360", "v480", "v720", "v1080");
    assertThat(ladder).extracting(Rung::width).containsExactly(426, 640, 852, 1280, 1920);
    assertThat(Ladder.plan(video("h264", 1280, 720, 25, 3_000_000, "aac", 128_000), false))
      .extracting(Rung::name).containsExactly("v240", "v360", "v480", "v720");
    // a 4K source still stops at 1080p
    assertThat(Ladder.plan(video("hevc", 3840, 2160, 25, 20_000_000, null, 0), false)).hasSize(5);
  }

  @Test
  void portraitVideoIsMeasuredOnItsShorterSide() {
    List<Rung> ladder = Ladder.plan(video("h264", 1080, 1920, 30, 6_000_000, "aac", 128_000), false);
    assertThat(ladder).extracting(Rung::name).endsWith("v1080");
    Rung top = ladder.get(ladder.size() - 1);
    assertThat(top.width()).isEqualTo(1080);
    assertThat(top.height()).isEqualTo(1920);
  }

  @Test
  void aSourceSmallerThanTheLowestRungGetsOneRungOfItsOwnSize() {
    List<Rung> ladder = Ladder.plan(video("mpeg4", 320, 180, 25, 300_000, null, 0), false);
    assertThat(ladder).extracting(Rung::height).containsExactly(180);
    assertThat(ladder.get(0).width()).isEqualTo(320);
  }

  @Test
  void noRungIsAbove130PercentOfTheSource() {
    List<Rung> ladder = Ladder.plan(video("hevc", 1920, 1080, 25, 1_000_000, "aac", 64_000), false);
    assertThat(ladder).allSatisfy(r -> {
      assertThat(r.videoBitrate()).isLessThanOrEqualTo(1_300_000);
      assertThat(r.audioBitrate()).isLessThanOrEqualTo((long) (64_000 * 1.3));
    });
    assertThat(ladder.get(0).videoBitrate()).isEqualTo(400_000);
  }

  @Test
  void theRungTheSourceFitsIsCopiedOnlyWhenItsKeyFramesAllow() {
    Probe fits = video("h264", 640, 360, 25, 700_000, "aac", 128_000);
    assertThat(Ladder.plan(fits, true)).extracting(Rung::copyVideo).containsExactly(false, true);
    assertThat(Ladder.plan(fits, false)).extracting(Rung::copyVideo).containsExactly(false, false);
    // too many bits for the rung: encoded
    assertThat(Ladder.plan(video("h264", 640, 360, 25, 3_000_000, "aac", 128_000), true))
      .noneMatch(Rung::copyVideo);
    // not H.264: encoded
    assertThat(Ladder.plan(video("vp9", 640, 360, 25, 700_000, "opus", 128_000), true)).noneMatch(Rung::copyVideo)
      .noneMatch(Rung::copyAudio);
  }

  @Test
  void highFrameRatesAreHalved() {
    assertThat(Ladder.plan(video("hevc", 1280, 720, 120, 5_000_000, null, 0), false))
      .allSatisfy(r -> assertThat(r.fps()).isEqualTo(60.0));
  }

  @Test
  void audioOnlySourcesGetAnAacLadderCappedAtTheirBitRate() {
    Probe mp3 = new Probe(600, 5_000_000, 128_000L, null, new Probe.Audio("mp3", 128_000L, 2, 44_100), false);
    assertThat(Ladder.plan(mp3, false)).extracting(Rung::name).containsExactly("a64", "a128");
    assertThat(Ladder.plan(mp3, false)).allMatch(Rung::audioOnly).noneMatch(Rung::copyAudio);
    Probe tiny = new Probe(600, 1_000_000, 32_000L, null, new Probe.Audio("mp3", 32_000L, 1, 22_050), false);
    assertThat(Ladder.plan(tiny, false)).extracting(Rung::audioBitrate).containsExactly(41_600L);
  }
}
