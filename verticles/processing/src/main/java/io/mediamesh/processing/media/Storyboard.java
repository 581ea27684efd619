package io.mediamesh.processing.media;

import java.util.Locale;

/**
 * A storyboard: one sprite of thumbnails taken every {@code interval} seconds, {@code columns} to a row, and the
 * WebVTT map a player's scrub bar reads ({@code sprite.jpg#xywh=x,y,w,h} per cue). At most {@link #MAX_TILES} tiles,
 * so a long film still gets one sprite of bounded size.
 */
public record Storyboard(int interval, int count, int columns, int rows, int tileWidth, int tileHeight) {

  public static final int MAX_TILES = 100;
  public static final int TILE_WIDTH = 160;
  private static final int MIN_INTERVAL = 2;
  private static final int MAX_COLUMNS = 10;

  /** The storyboard of a video of {@code durationSeconds} and {@code width x height}. */
  public static Storyboard plan(double durationSeconds, int width, int height) {
    int interval = Math.max(MIN_INTERVAL, (int) Math.ceil(durationSeconds / MAX_TILES));
    int count = Math.max(1, (int) Math.ceil(durationSeconds / interval));
    int columns = Math.min(MAX_COLUMNS, count);
    int rows = (count + columns - 1) / columns;
    int tileHeight = Ladder.even((int) Math.round((double) TILE_WIDTH * height / width));
    return new Storyboard(interval, count, columns, rows, TILE_WIDTH, tileHeight);
  }

  /** The FFmpeg filter that makes the sprite from the decoded video. */
  public String filter() {
    return "fps=1/" + interval + ",scale=" + tileWidth + ":" + tileHeight + ",tile=" + columns + "x" + rows;
  }

  /** The WebVTT map: cue {@code i} covers {@code [i*interval, min((i+1)*interval, duration))}. */
  public String vtt(String spriteUri, double durationSeconds) {
    StringBuilder out = new StringBuilder("WEBVTT\n");
    for (int i = 0; i < count; i++) {
      double start = (double) i * interval;
      double end = Math.min((double) (i + 1) * interval, durationSeconds);
      if (end <= start) {
        break;
      }
      int x = (i % columns) * tileWidth;
      int y = (i / columns) * tileHeight;
      out.append('\n').append(time(start)).append(" --> ").append(time(end)).append('\n')
        .append(spriteUri).append("#xywh=").append(x).append(',').append(y).append(',').append(tileWidth)
        .append(',').append(tileHeight).append('\n');
    }
    return out.toString();
  }

  static String time(double seconds) {
    long millis = Math.round(seconds * 1000);
    return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60,
      millis / 1000 % 60, millis % 1000);
  }
}
