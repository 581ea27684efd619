package io.mediamesh.processing.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The HLS ladder of a source (SPEC "Transcoding"): video rungs from 240p to 1080p up to the source's size (measured
 * on the shorter side, so portrait video gets the same ladder), H.264 with AAC; audio-only sources get an AAC
 * ladder. No rung's bit rate is above the source's plus 30 %: re-encoding cannot add quality, only bytes. A rung the
 * source already fits (H.264 4:2:0 at that size, within the rung's budget, key frames close enough for the segment
 * length) is copied instead of encoded, and so is AAC audio that fits.
 */
public final class Ladder {

  /** Bit rates of the standard rungs: {@code p -> video bits/s}. */
  private static final int[][] VIDEO = {{240, 400_000}, {360, 800_000}, {480, 1_400_000}, {720, 2_800_000},
    {1080, 5_000_000}};
  private static final long[] AUDIO_ONLY = {64_000, 128_000, 192_000};
  /** Audio of a video rung: less for the small ones, which are for poor connections. */
  private static final long AUDIO_SMALL = 96_000;
  private static final long AUDIO_LARGE = 128_000;
  static final double HEADROOM = 1.3;
  /** Frames a second above this are halved (60 is the most HLS players and devices take). */
  static final double MAX_FPS = 60;

  private Ladder() {
  }

  /**
   * A rung: {@code name} (also its folder), its size, frame rate, target bit rates, whether the video and the audio
   * are copied from the source. {@code width}/{@code height} are 0 for audio-only rungs.
   */
  public record Rung(String name, int width, int height, double fps, long videoBitrate, long audioBitrate,
                     boolean copyVideo, boolean copyAudio) {

    public boolean audioOnly() {
      return width == 0;
    }
  }

  /**
   * The ladder of {@code probe}, lowest rung first (the first to be ready and published). {@code keyframesFit}: the
   * source's key frames are at most the key-frame interval apart (only then can its video be copied).
   */
  public static List<Rung> plan(Probe probe, boolean keyframesFit) {
    return probe.video() == null ? audioLadder(probe) : videoLadder(probe, keyframesFit);
  }

  private static List<Rung> audioLadder(Probe probe) {
    long cap = (long) (probe.audioBitrate() * HEADROOM);
    boolean aac = probe.audio().codec().equals("aac") && probe.audio().channels() <= 2;
    List<Rung> rungs = new ArrayList<>();
    for (long bitrate : AUDIO_ONLY) {
      if (bitrate <= cap || rungs.isEmpty()) {
        long target = Math.min(bitrate, cap);
        boolean copy = aac && probe.audioBitrate() <= bitrate * HEADROOM && probe.audioBitrate() >= bitrate / 2;
        rungs.add(new Rung("a" + bitrate / 1000, 0, 0, 0, 0, target, false, copy));
      }
    }
    return rungs;
  }

  private static List<Rung> videoLadder(Probe probe, boolean keyframesFit) {
    Probe.Video v = probe.video();
    int side = v.shortSide();
    long cap = (long) (probe.videoBitrate() * HEADROOM);
    double fps = v.fps() <= 0 ? 25 : v.fps() > MAX_FPS ? v.fps() / 2 : v.fps();
    boolean hasAudio = probe.audio() != null;
    List<Rung> rungs = new ArrayList<>();
    for (int[] rung : VIDEO) {
      if (rung[0] <= side) {
        rungs.add(videoRung(probe, rung[0], rung[1], cap, fps, hasAudio, keyframesFit));
      }
    }
    if (rungs.isEmpty()) {
      // smaller than the lowest rung: one rung at the source's own size
      rungs.add(videoRung(probe, even(side), VIDEO[0][1], cap, fps, hasAudio, keyframesFit));
    }
    return rungs;
  }

  private static Rung videoRung(Probe probe, int p, long nominal, long cap, double fps, boolean hasAudio,
                                boolean keyframesFit) {
    Probe.Video v = probe.video();
    boolean landscape = v.width() >= v.height();
    int longSide = even((int) Math.round((double) p * Math.max(v.width(), v.height()) / v.shortSide()));
    int width = landscape ? longSide : p;
    int height = landscape ? p : longSide;
    long audio = hasAudio ? (p <= 360 ? AUDIO_SMALL : AUDIO_LARGE) : 0;
    long audioCap = hasAudio ? (long) (probe.audioBitrate() * HEADROOM) : 0;
    audio = Math.min(audio, audioCap);
    boolean copyVideo = keyframesFit && v.codec().equals("h264") && "yuv420p".equals(v.pixelFormat())
      && v.shortSide() == p && v.fps() <= MAX_FPS && probe.videoBitrate() <= nominal * HEADROOM;
    boolean copyAudio = hasAudio && probe.audio().codec().equals("aac") && probe.audio().channels() <= 2
      && probe.audioBitrate() <= audio * HEADROOM;
    return new Rung("v" + p, width, height, copyVideo ? v.fps() : fps, Math.min(nominal, cap), audio, copyVideo,
      copyAudio);
  }

  static int even(int n) {
    return Math.max(2, n - (n % 2));
  }
}
