package io.mediamesh.processing.media;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HlsTest {

  static final String PLAYLIST = """
    #EXTM3U
    #EXT-X-VERSION:3
    #EXT-X-TARGETDURATION:6
    #EXT-X-MEDIA-SEQUENCE:0
    #EXT-X-PLAYLIST-TYPE:VOD
    #EXT-X-INDEPENDENT-SEGMENTS
    #EXTINF:6.000000,
    seg_00000.ts
    #EXTINF:6.000000,
    seg_00001.ts
    #EXTINF:0.400000,
    seg_00002.ts
    #EXT-X-ENDLIST
    """;

  @Test
  void readsSegmentsAndTheirDurations() {
    assertThat(Hls.segments(PLAYLIST)).containsExactly(new Hls.Segment("seg_00000.ts", 6.0),
      new Hls.Segment("seg_00001.ts", 6.0), new Hls.Segment("seg_00002.ts", 0.4));
    assertThatThrownBy(() -> Hls.segments("<html>")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bandwidthIsThePeakSegmentAndAverageTheMean() {
    List<Hls.Segment> segments = Hls.segments(PLAYLIST);
    // 750 kB in 6 s is 1 Mbit/s; 375 kB in 6 s 0.5; the 0.4 s tail (100 kB = 2 Mbit/s) says nothing of the peak
    long[] rates = Hls.bitrates(segments, new long[] {750_000, 375_000, 100_000});
    assertThat(rates[0]).isEqualTo(1_000_000);
    assertThat(rates[1]).isEqualTo(Math.round((750_000 + 375_000 + 100_000) * 8 / 12.4));
  }

  @Test
  void theMasterListsEachVariantWithItsAttributes() {
    String master = Hls.master(List.of(
      new Hls.Variant("v240/index.m3u8", 500_000, 420_000, 426, 240, 25, "avc1.64001e,mp4a.40.2"),
      new Hls.Variant("a64/index.m3u8", 70_000, 66_000, 0, 0, 0, "mp4a.40.2")));
    assertThat(master).isEqualTo("""
      #EXTM3U
      #EXT-X-VERSION:3
      #EXT-X-INDEPENDENT-SEGMENTS
      #EXT-X-STREAM-INF:BANDWIDTH=500000,AVERAGE-BANDWIDTH=420000,RESOLUTION=426x240,FRAME-RATE=25.000,CODECS="avc1.64001e,mp4a.40.2"
      v240/index.m3u8
      #EXT-X-STREAM-INF:BANDWIDTH=70000,AVERAGE-BANDWIDTH=66000,CODECS="mp4a.40.2"
      a64/index.m3u8
      """);
  }

  @Test
  void avc1StringsFollowRfc6381() {
    assertThat(Hls.avc1("High", 31)).isEqualTo("avc1.64001f");
    assertThat(Hls.avc1("Main", 30)).isEqualTo("avc1.4d401e");
    assertThat(Hls.avc1("Constrained Baseline", 21)).isEqualTo("avc1.42e015");
    assertThat(Hls.avc1("High", 40)).isEqualTo("avc1.640028");
  }
}
