package io.mediamesh.processing.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StoryboardTest {

  @Test
  void aShortVideoGetsATileEveryTwoSeconds() {
    Storyboard b = Storyboard.plan(10, 640, 360);
    assertThat(b).isEqualTo(new Storyboard(2, 5, 5, 1, 160, 90));
    assertThat(b.filter()).isEqualTo("fps=1/2,scale=160:90,tile=5x1");
    assertThat(b.vtt("storyboard.jpg", 10)).isEqualTo("""
      WEBVTT

      00:00:00.000 --> 00:00:02.000
      storyboard.jpg#xywh=0,0,160,90

      00:00:02.000 --> 00:00:04.000
      storyboard.jpg#xywh=160,0,160,90

      00:00:04.000 --> 00:00:06.000
      storyboard.jpg#xywh=320,0,160,90

      00:00:06.000 --> 00:00:08.000
      storyboard.jpg#xywh=480,0,160,90

      00:00:08.000 --> 00:00:10.000
      storyboard.jpg#xywh=640,0,160,90
      """);
  }

  @Test
  void aFilmStillGetsOneSpriteOfAtMostAHundredTiles() {
    Storyboard b = Storyboard.plan(2 * 3600 + 5, 1920, 800);
    assertThat(b.count()).isEqualTo(99).isLessThanOrEqualTo(Storyboard.MAX_TILES);
    assertThat(b.interval()).isEqualTo(73);
    assertThat(b.columns()).isEqualTo(10);
    assertThat(b.rows()).isEqualTo(10);
    assertThat(b.tileHeight()).isEqualTo(66);
    String vtt = b.vtt("s.jpg", 2 * 3600 + 5);
    assertThat(vtt).contains("01:59:14.000 --> 02:00:05.000\ns.jpg#xywh=1280,594,160,66");
  }
}
