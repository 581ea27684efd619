package io.mediamesh.processing.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HLS text: reading a media playlist FFmpeg wrote (its segments and their durations) and writing the master
 * playlist over the rungs that are ready (RFC 8216: BANDWIDTH is the peak segment bit rate, AVERAGE-BANDWIDTH the
 * mean, CODECS as RFC 6381 strings).
 */
public final class Hls {

  private Hls() {
  }

  /** A segment of a media playlist: its URI (relative) and duration in seconds. */
  public record Segment(String uri, double durationSeconds) {
  }

  /** A ready rung as the master playlist lists it. */
  public record Variant(String playlist, long peakBitrate, long averageBitrate, int width, int height, double fps,
                        String codecs) {
  }

  /** The segments of a media playlist, in order; fails on a playlist that is not one. */
  public static List<Segment> segments(String playlist) {
    if (!playlist.startsWith("#EXTM3U")) {
      throw new IllegalArgumentException("not an HLS playlist");
    }
    List<Segment> out = new ArrayList<>();
    Double pending = null;
    for (String raw : playlist.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("#EXTINF:")) {
        String value = line.substring("#EXTINF:".length());
        int comma = value.indexOf(',');
        pending = Double.parseDouble(comma < 0 ? value : value.substring(0, comma));
      } else if (!line.isEmpty() && !line.startsWith("#") && pending != null) {
        out.add(new Segment(line, pending));
        pending = null;
      }
    }
    return out;
  }

  /** Peak and average bits a second of segments of these sizes ({@code sizes[i]} bytes of {@code segments[i]}). */
  public static long[] bitrates(List<Segment> segments, long[] sizes) {
    double totalBits = 0;
    double totalSeconds = 0;
    double peak = 0;
    for (int i = 0; i < segments.size(); i++) {
      double seconds = Math.max(segments.get(i).durationSeconds(), 0.001);
      double bits = sizes[i] * 8.0;
      totalBits += bits;
      totalSeconds += seconds;
      // a last segment of a fraction of a second says little about the peak
      if (seconds >= 1 || segments.size() == 1) {
        peak = Math.max(peak, bits / seconds);
      }
    }
    long average = totalSeconds == 0 ? 0 : Math.round(totalBits / totalSeconds);
    return new long[] {Math.max(Math.round(peak), average), average};
  }

  /** The master playlist of the ready variants, lowest first. */
  public static String master(List<Variant> variants) {
    StringBuilder out = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (Variant v : variants) {
      out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.peakBitrate())
        .append(",AVERAGE-BANDWIDTH=").append(v.averageBitrate());
      if (v.width() > 0) {
        out.append(",RESOLUTION=").append(v.width()).append('x').append(v.height());
        if (v.fps() > 0) {
          out.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", v.fps()));
        }
      }
      out.append(",CODECS=\"").append(v.codecs()).append("\"\n").append(v.playlist()).append('\n');
    }
    return out.toString();
  }

  /**
   * The RFC 6381 string of an H.264 stream ({@code avc1.PPCCLL}) from ffprobe's profile name and level, e.g.
   * High at 3.1 is {@code avc1.64001f}.
   */
  public static String avc1(String profile, Integer level) {
    String p = profile == null ? "" : profile.toLowerCase(Locale.ROOT);
    String pc = switch (p) {
      case "constrained baseline" -> "42e0";
      case "baseline" -> "4200";
      case "main" -> "4d40";
      case "high 10" -> "6e00";
      case "high 4:2:2" -> "7a00";
      default -> "6400";
    };
    int l = level == null || level <= 0 ? 40 : level;
    return "avc1." + pc + String.format(Locale.ROOT, "%02x", l);
  }

  /** AAC-LC, which is what every rung's audio is. */
  public static final String AAC_LC = "mp4a.40.2";
}
