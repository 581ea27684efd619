package io.mediamesh.processing.work;

import io.mediamesh.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Where a job's outputs go in the bucket (under the asset's prefix, so deleting the asset removes them) and how they
 * get there: files streamed from disk, a few at a time.
 */
final class Outputs {

  private static final int PARALLEL_UPLOADS = 4;

  private final Vertx vertx;
  private final Storage storage;

  Outputs(Vertx vertx, Storage storage) {
    this.vertx = vertx;
    this.storage = storage;
  }

  Storage storage() {
    return storage;
  }

  /** {@code media/<id>/hls/}: the ladder, its playlists, the poster and the storyboard. */
  static String hlsPrefix(UUID mediaId) {
    return "media/" + mediaId + "/hls/";
  }

  /** {@code media/<id>/frames/<job>.zip}. */
  static String framesKey(UUID mediaId, UUID jobId) {
    return "media/" + mediaId + "/frames/" + jobId + ".zip";
  }

  static String contentType(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".m3u8")) {
      return "application/vnd.apple.mpegurl";
    }
    if (n.endsWith(".ts")) {
      return "video/mp2t";
    }
    if (n.endsWith(".jpg")) {
      return "image/jpeg";
    }
    if (n.endsWith(".vtt")) {
      return "text/vtt";
    }
    if (n.endsWith(".zip")) {
      return "application/zip";
    }
    return "application/octet-stream";
  }

  /** Uploads {@code files} to {@code prefix + name}, {@link #PARALLEL_UPLOADS} at a time. */
  Future<Void> upload(List<Path> files, String prefix) {
    Deque<Path> queue = new ArrayDeque<>(files);
    Promise<Void> done = Promise.promise();
    int[] active = {0};
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (done.future().isComplete()) {
        return;
      }
      if (queue.isEmpty() && active[0] == 0) {
        done.tryComplete();
        return;
      }
      while (active[0] < PARALLEL_UPLOADS && !queue.isEmpty()) {
        Path file = queue.poll();
        active[0]++;
        String name = file.getFileName().toString();
        Future.fromCompletionStage(storage.putFile(prefix + name, file, contentType(name)), vertx.getOrCreateContext())
          .onComplete(ar -> {
            active[0]--;
            if (ar.failed()) {
              done.tryFail(ar.cause());
            } else {
              next[0].run();
            }
          });
      }
    };
    next[0].run();
    return done.future();
  }

  Future<Void> put(String key, String text) {
    return Future.fromCompletionStage(storage.put(key, text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
      contentType(key)), vertx.getOrCreateContext());
  }

  /** Downloads the asset's source into {@code file}. */
  Future<Void> download(String key, Path file) {
    return Future.fromCompletionStage(storage.getFile(key, file), vertx.getOrCreateContext());
  }
}
