package io.mediamesh.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Media for tests, made by FFmpeg from its own test sources (nothing binary is committed). */
public final class TestMedia {

  private TestMedia() {
  }

  /**
   * An H.264/AAC MP4 of {@code seconds} at {@code width x height}, 25 frames a second, a key frame every 2 s (so
   * the rung of its own size can be copied).
   */
  public static Path video(Path dir, String name, int width, int height, int seconds) {
    Path out = dir.resolve(name);
    run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=25:duration="
      + seconds, "-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds, "-c:v", "libx264", "-preset",
      "veryfast", "-g", "50", "-pix_fmt", "yuv420p", "-b:v", "600k", "-c:a", "aac", "-b:a", "128k", "-shortest",
      out.toString());
    return out;
  }

  /** An MP3 of a tone, {@code seconds} long at {@code kbps}. */
  public static Path mp3(Path dir, String name, int seconds, int kbps) {
    Path out = dir.resolve(name);
    run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=330:duration=" + seconds, "-ac", "2",
      "-c:a", "libmp3lame", "-b:a", kbps + "k", out.toString());
    return out;
  }

  /** Runs a command to its end; its output, or a failure with it. */
  public static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Whether FFmpeg decodes {@code file} to its end without a single error. */
  public static List<String> decodeErrors(Path file) {
    try {
      Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-")
        .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(120, TimeUnit.SECONDS);
      List<String> errors = new ArrayList<>();
      if (p.exitValue() != 0) {
        errors.add("exit " + p.exitValue());
      }
      out.lines().filter(l -> !l.isBlank()).forEach(errors::add);
      return errors;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
