package io.mediamesh.processing.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What ffprobe says about a source: its duration and size, its first real video stream (cover art excluded) and its
 * first audio stream, either of which may be absent.
 */
public record Probe(double durationSeconds, long sizeBytes, Long bitrate, Video video, Audio audio, boolean cover) {

  /** A video stream: codec, H.264 profile and level, display size, frame rate, bit rate and pixel format. */
  public record Video(String codec, String profile, Integer level, int width, int height, double fps, Long bitrate,
                      String pixelFormat) {

    /** The shorter side: what a rung's "p" measures, so a portrait video gets the same ladder as a landscape one. */
    public int shortSide() {
      return Math.min(width, height);
    }
  }

  public record Audio(String codec, Long bitrate, int channels, int sampleRate) {
  }

  /**
   * Reads ffprobe's {@code -show_format -show_streams -print_format json}; fails with {@link IllegalArgumentException}
   * when the document has neither a usable video nor an audio stream, or no duration.
   */
  public static Probe parse(JsonObject json) {
    JsonObject format = json.getJsonObject("format", new JsonObject());
    JsonArray streams = json.getJsonArray("streams", new JsonArray());
    Video video = null;
    Audio audio = null;
    boolean cover = false;
    double streamDuration = 0;
    for (int i = 0; i < streams.size(); i++) {
      JsonObject s = streams.getJsonObject(i);
      String type = s.getString("codec_type", "");
      boolean attached = s.getJsonObject("disposition", new JsonObject()).getInteger("attached_pic", 0) == 1;
      streamDuration = Math.max(streamDuration, number(s.getValue("duration"), 0));
      if (type.equals("video") && attached) {
        cover = true;
      } else if (type.equals("video") && video == null && s.getInteger("width", 0) > 0
        && s.getInteger("height", 0) > 0) {
        video = new Video(s.getString("codec_name", "unknown"), s.getString("profile"), s.getInteger("level"),
          s.getInteger("width"), s.getInteger("height"), rate(s.getString("avg_frame_rate"),
          s.getString("r_frame_rate")), bits(s.getValue("bit_rate")), s.getString("pix_fmt"));
      } else if (type.equals("audio") && audio == null) {
        audio = new Audio(s.getString("codec_name", "unknown"), bits(s.getValue("bit_rate")),
          s.getInteger("channels", 2), (int) number(s.getValue("sample_rate"), 48_000));
      }
    }
    if (video == null && audio == null) {
      throw new IllegalArgumentException("the file has no video or audio stream");
    }
    double duration = number(format.getValue("duration"), streamDuration);
    if (!(duration > 0)) {
      throw new IllegalArgumentException("the file has no duration");
    }
    long size = (long) number(format.getValue("size"), 0);
    return new Probe(duration, size, bits(format.getValue("bit_rate")), video, audio, cover && video == null);
  }

  /** The video stream's bit rate, or the file's less its audio, or what its size and duration give. */
  public long videoBitrate() {
    if (video != null && video.bitrate() != null) {
      return video.bitrate();
    }
    long total = bitrate != null ? bitrate : (long) (sizeBytes * 8 / durationSeconds);
    long audioBits = audio != null && audio.bitrate() != null ? audio.bitrate() : 0;
    return Math.max(1, total - audioBits);
  }

  /** The audio stream's bit rate, or (audio only) the file's. */
  public long audioBitrate() {
    if (audio != null && audio.bitrate() != null) {
      return audio.bitrate();
    }
    return bitrate != null ? bitrate : Math.max(1, (long) (sizeBytes * 8 / durationSeconds));
  }

  private static double rate(String average, String real) {
    double fps = fraction(average);
    return fps > 0 && fps <= 240 ? fps : Math.max(0, Math.min(240, fraction(real)));
  }

  private static double fraction(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    int slash = value.indexOf('/');
    try {
      if (slash < 0) {
        return Double.parseDouble(value);
      }
      double den = Double.parseDouble(value.substring(slash + 1));
      return den == 0 ? 0 : Double.parseDouble(value.substring(0, slash)) / den;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Long bits(Object value) {
    double n = number(value, 0);
    return n > 0 ? (long) n : null;
  }

  private static double number(Object value, double otherwise) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s && !s.isBlank() && !s.equals("N/A")) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return otherwise;
      }
    }
    return otherwise;
  }
}
