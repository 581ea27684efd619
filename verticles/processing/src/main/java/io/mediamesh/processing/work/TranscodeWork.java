package io.mediamesh.processing.work;

import io.mediamesh.common.api.ProcessingApi.Phase;
import io.mediamesh.processing.ProcessingConfig;
import io.mediamesh.processing.jobs.Attempt;
import io.mediamesh.processing.jobs.Job;
import io.mediamesh.processing.jobs.JobFailure;
import io.mediamesh.processing.jobs.Work;
import io.mediamesh.processing.media.Hls;
import io.mediamesh.processing.media.Ladder;
import io.mediamesh.processing.media.Ladder.Rung;
import io.mediamesh.processing.media.Probe;
import io.mediamesh.processing.media.Storyboard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A TRANSCODE job: the source downloaded and probed, then each rung of its {@link Ladder} encoded (or copied) to HLS,
 * lowest first, uploaded, and published at once with the master playlist rewritten over the rungs ready so far, so
 * the asset plays at its first rung; then a poster and a storyboard. Everything goes under
 * {@code media/<id>/hls/}.
 */
public final class TranscodeWork implements Work {

  /** The share of the job's percent for the download and probe, the rungs, and the poster and storyboard. */
  private static final double PROBED = 3;
  private static final double LADDERED = 95;
  /** Posters at most 720 high, never enlarged. */
  private static final String POSTER_SCALE = "scale=-2:'min(720,ih)'";

  private final Vertx vertx;
  private final Outputs outputs;
  private final ProcessingConfig config;

  public TranscodeWork(Vertx vertx, io.mediamesh.storage.Storage storage, ProcessingConfig config) {
    this.vertx = vertx;
    this.outputs = new Outputs(vertx, storage);
    this.config = config;
  }

  @Override
  public Future<Void> cleanup(Job job) {
    return Future.fromCompletionStage(outputs.storage().deletePrefix(Outputs.hlsPrefix(job.mediaId())),
      vertx.getOrCreateContext());
  }

  @Override
  public Future<Result> run(Attempt attempt) {
    Job job = attempt.job();
    Path source = attempt.dir().resolve("source");
    attempt.phase(Phase.PROBING);
    return Sources.download(outputs, job.params().getString("storageKey"), source)
      .compose(v -> attempt.ffmpeg().probe(source))
      .compose(probe -> keyframesFit(attempt, source, probe).map(fit -> Ladder.plan(probe, fit))
        .compose(ladder -> {
          attempt.percent(PROBED);
          return new Pass(attempt, source, probe, ladder).run();
        }));
  }

  /** Whether the source's key frames are close enough to copy its video (only asked when a rung could be copied). */
  private static Future<Boolean> keyframesFit(Attempt attempt, Path source, Probe probe) {
    Probe.Video v = probe.video();
    boolean candidate = v != null && v.codec().equals("h264") && "yuv420p".equals(v.pixelFormat())
      && Ladder.plan(probe, true).stream().anyMatch(Rung::copyVideo);
    if (!candidate) {
      return Future.succeededFuture(false);
    }
    return attempt.ffmpeg().longestKeyframeGap(source, probe.durationSeconds())
      .map(gap -> gap <= ProcessingConfig.KEYFRAME_SECONDS + 0.05);
  }

  /** One run over the ladder: its state is the rungs ready so far. */
  private final class Pass {
    private final Attempt attempt;
    private final Path source;
    private final Probe probe;
    private final List<Rung> ladder;
    private final String prefix;
    private final List<Hls.Variant> variants = new ArrayList<>();
    private final JsonArray renditions = new JsonArray();
    private final double[] weights;

    Pass(Attempt attempt, Path source, Probe probe, List<Rung> ladder) {
      this.attempt = attempt;
      this.source = source;
      this.probe = probe;
      this.ladder = ladder;
      this.prefix = Outputs.hlsPrefix(attempt.job().mediaId());
      this.weights = weights(ladder);
    }

    /**
     * The rungs are encoded one after the other, and each is uploaded and published while the next one encodes
     * (publications stay in order: the master only ever grows by the next rung); the poster and storyboard are made
     * once the last rung is encoded. A failure anywhere stops the attempt, so no encode goes on after it.
     */
    Future<Result> run() {
      Future<Void> encoded = Future.succeededFuture();
      Future<Void> published = Future.succeededFuture();
      double from = PROBED;
      for (int i = 0; i < ladder.size(); i++) {
        Rung rung = ladder.get(i);
        Path dir = attempt.dir().resolve(rung.name());
        double start = from;
        double end = from + (LADDERED - PROBED) * weights[i];
        encoded = encoded.compose(v -> encode(rung, dir, start, start + (end - start) * 0.9));
        Future<Void> ready = encoded;
        published = published.compose(v -> ready).compose(v -> publish(rung, dir, end));
        from = end;
      }
      Future<JsonObject> packaged = encoded.compose(v -> packaging());
      return published.onFailure(err -> attempt.stop(err instanceof JobFailure f ? f
          : new JobFailure("storage or system error: " + err.getMessage(), true)))
        .compose(v -> packaged)
        .map(extras -> new Result(output(extras), null));
    }

    private Future<Void> encode(Rung rung, Path dir, double from, double to) {
      attempt.phase(Phase.TRANSCODING);
      return vertx.executeBlocking(() -> Files.createDirectories(dir))
        .compose(v -> attempt.ffmpeg(args(rung, dir), probe.durationSeconds(), from, to));
    }

    /** Uploads a rung, adds it to the master playlist and publishes the output so far (the asset plays it). */
    private Future<Void> publish(Rung rung, Path dir, double to) {
      return attempt.checkpoint()
        .compose(v -> files(dir))
        .compose(files -> outputs.upload(files, prefix + rung.name() + "/"))
        .compose(v -> variant(rung, dir))
        .compose(variant -> {
          variants.add(variant);
          renditions.add(rendition(rung, variant));
          return outputs.put(prefix + "master.m3u8", Hls.master(variants));
        })
        .compose(v -> attempt.publish(output(new JsonObject())))
        .onSuccess(v -> attempt.percent(to));
    }

    /** The variant as the master lists it: measured bit rates, and codecs read back from the first segment. */
    private Future<Hls.Variant> variant(Rung rung, Path dir) {
      return vertx.executeBlocking(() -> {
        List<Hls.Segment> segments = Hls.segments(Files.readString(dir.resolve("index.m3u8")));
        if (segments.isEmpty()) {
          throw JobFailure.fatal("ffmpeg wrote no segments for " + rung.name());
        }
        long[] sizes = new long[segments.size()];
        for (int i = 0; i < sizes.length; i++) {
          sizes[i] = Files.size(dir.resolve(segments.get(i).uri()));
        }
        long[] rates = Hls.bitrates(segments, sizes);
        return new long[] {rates[0], rates[1]};
      }).compose(rates -> codecs(rung, dir).map(codecs -> new Hls.Variant(rung.name() + "/index.m3u8", rates[0],
        rates[1], rung.width(), rung.height(), rung.audioOnly() ? 0 : rung.fps(), codecs)));
    }

    private Future<String> codecs(Rung rung, Path dir) {
      boolean audio = probe.audio() != null;
      if (rung.audioOnly()) {
        return Future.succeededFuture(Hls.AAC_LC);
      }
      return attempt.ffmpeg().probe(dir.resolve("seg_00000.ts")).map(p -> {
        String video = Hls.avc1(p.video().profile(), p.video().level());
        return audio ? video + "," + Hls.AAC_LC : video;
      });
    }

    private List<String> args(Rung rung, Path dir) {
      List<String> a = new ArrayList<>(List.of("-i", source.toString()));
      if (rung.audioOnly()) {
        a.addAll(List.of("-map", "0:a:0", "-vn"));
      } else {
        a.addAll(List.of("-map", "0:v:0", "-map", "0:a:0?"));
        if (rung.copyVideo()) {
          a.addAll(List.of("-c:v", "copy"));
        } else {
          int gop = (int) Math.max(1, Math.round(rung.fps() * ProcessingConfig.KEYFRAME_SECONDS));
          a.addAll(List.of("-vf", "scale=" + rung.width() + ":" + rung.height() + ",setsar=1",
            "-r", fps(rung.fps()), "-c:v", "libx264", "-preset", config.preset(), "-profile:v", "high",
            "-pix_fmt", "yuv420p", "-b:v", String.valueOf(rung.videoBitrate()),
            "-maxrate", String.valueOf(rung.videoBitrate()), "-bufsize", String.valueOf(rung.videoBitrate() * 2),
            "-g", String.valueOf(gop), "-keyint_min", String.valueOf(gop), "-sc_threshold", "0",
            "-force_key_frames", "expr:gte(t,n_forced*" + ProcessingConfig.KEYFRAME_SECONDS + ")"));
        }
      }
      if (probe.audio() != null) {
        if (rung.copyAudio()) {
          a.addAll(List.of("-c:a", "copy"));
        } else {
          a.addAll(List.of("-c:a", "aac", "-b:a", String.valueOf(rung.audioBitrate()), "-ac", "2"));
        }
      }
      a.addAll(List.of("-f", "hls", "-hls_time", String.valueOf(config.segmentSeconds()),
        "-hls_playlist_type", "vod", "-hls_flags", "independent_segments", "-hls_segment_type", "mpegts",
        "-hls_segment_filename", dir.resolve("seg_%05d.ts").toString(), dir.resolve("index.m3u8").toString()));
      return a;
    }

    /** The poster and storyboard of a video, the cover of an audio file that has one: their part of the output. */
    private Future<JsonObject> packaging() {
      attempt.phase(Phase.PACKAGING);
      JsonObject extras = new JsonObject();
      Probe.Video v = probe.video();
      Path dir = attempt.dir().resolve("package");
      Future<Void> made = vertx.executeBlocking(() -> {
        Files.createDirectories(dir);
        return null;
      });
      double share = (100 - LADDERED) / 2;
      if (v != null) {
        double at = Math.min(probe.durationSeconds() / 10, 60);
        Storyboard board = Storyboard.plan(probe.durationSeconds(), v.width(), v.height());
        made = made
          .compose(x -> attempt.ffmpeg(List.of("-ss", seconds(at), "-i", source.toString(), "-map", "0:v:0",
            "-frames:v", "1", "-vf", POSTER_SCALE, "-q:v", "3", dir.resolve("poster.jpg").toString()),
            0, LADDERED, LADDERED + share))
          .compose(x -> attempt.ffmpeg(List.of("-skip_frame", "nokey", "-i", source.toString(), "-map", "0:v:0",
            "-vf", board.filter(), "-frames:v", "1", "-q:v", "4", dir.resolve("storyboard.jpg").toString()),
            probe.durationSeconds(), LADDERED + share, 99))
          .compose(x -> outputs.put(prefix + "storyboard.vtt", board.vtt("storyboard.jpg", probe.durationSeconds())))
          .onSuccess(x -> extras.put("poster", prefix + "poster.jpg").put("storyboard", new JsonObject()
            .put("image", prefix + "storyboard.jpg").put("vtt", prefix + "storyboard.vtt")
            .put("tileWidth", board.tileWidth()).put("tileHeight", board.tileHeight())
            .put("interval", board.interval()).put("columns", board.columns()).put("count", board.count())));
      } else if (probe.cover()) {
        made = made.compose(x -> attempt.ffmpeg(List.of("-i", source.toString(), "-map", "0:v:0", "-frames:v", "1",
            "-vf", POSTER_SCALE, "-q:v", "3", dir.resolve("poster.jpg").toString()), 0, LADDERED, 99))
          .onSuccess(x -> extras.put("poster", prefix + "poster.jpg"));
      }
      return made.compose(x -> {
        attempt.phase(Phase.UPLOADING);
        return files(dir);
      }).compose(files -> outputs.upload(files, prefix)).map(extras);
    }

    private JsonObject output(JsonObject extras) {
      return new JsonObject().put("durationSeconds", Math.round(probe.durationSeconds() * 1000) / 1000.0)
        .put("master", prefix + "master.m3u8").put("renditions", renditions.copy()).mergeIn(extras);
    }
  }

  private static JsonObject rendition(Rung rung, Hls.Variant variant) {
    JsonObject r = new JsonObject().put("name", rung.name()).put("bitrate", variant.peakBitrate())
      .put("averageBitrate", variant.averageBitrate()).put("codecs", variant.codecs())
      .put("copied", rung.copyVideo() || (rung.audioOnly() && rung.copyAudio()))
      .put("playlist", variant.playlist());
    if (!rung.audioOnly()) {
      r.put("width", rung.width()).put("height", rung.height());
    }
    return r;
  }

  /** Each rung's share of the ladder's time: its pixels a second (a copy costs next to nothing). */
  private static double[] weights(List<Rung> ladder) {
    double[] w = new double[ladder.size()];
    double total = 0;
    for (int i = 0; i < w.length; i++) {
      Rung r = ladder.get(i);
      w[i] = r.audioOnly() ? 1 : r.copyVideo() ? 0.05 * r.width() * r.height() : (double) r.width() * r.height();
      total += w[i];
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= total;
    }
    return w;
  }

  private Future<List<Path>> files(Path dir) {
    return vertx.executeBlocking(() -> {
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(Files::isRegularFile).sorted().toList();
      }
    });
  }

  private static String fps(double fps) {
    return String.format(Locale.ROOT, "%.3f", fps);
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }
}
