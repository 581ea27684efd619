package io.mediamesh.media;

import io.mediamesh.storage.Storage;
import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.net.SafeFetcher;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.imports.ImportRunner;
import io.mediamesh.media.upload.TusRoute;
import io.mediamesh.media.upload.UploadRoute;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The media service: assets in S3-compatible storage, streamed, resumable (tus) and presigned uploads, imports from
 * URLs, CDN or presigned URLs, thumbnails. Owns {@code media_db} and the bucket (its readiness includes the storage);
 * emits {@code media.*}. API: {@link MediaApi}.
 */
public final class MediaModule implements ServiceModule {

  public static final String NAME = MediaApi.SERVICE;

  private Storage storage;
  private SafeFetcher fetcher;
  private ImportRunner importRunner;
  private long sweeper = -1;
  private ServiceContext context;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Dependency> dependencies() {
    return EnumSet.of(Dependency.POSTGRES, Dependency.KAFKA);
  }

  @Override
  public List<String> topics() {
    return List.of(Topics.MEDIA);
  }

  @Override
  public Future<Void> start(ServiceContext ctx) {
    this.context = ctx;
    MediaConfig config;
    try {
      config = MediaConfig.from(ctx.config().raw());
      storage = Storage.create(ctx.platform().s3());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    ctx.readiness().register("storage", 2_000, p -> Future.fromCompletionStage(storage.headBucket())
      .onComplete(ar -> p.complete(ar.succeeded() ? Status.OK()
        : Status.KO(new JsonObject().put("reason", String.valueOf(ar.cause().getMessage()))))));

    Clock clock = ctx.clock();
    CmsClient cms = new CmsClient(ctx.bus());
    MimePolicy policy = new MimePolicy(config.maxImageBytes(), config.maxAudioBytes(), config.maxVideoBytes());
    ImageChecks images = new ImageChecks(ctx.vertx(), storage, config.maxImagePixels());
    Playback playback = new Playback(ctx.pool(), clock);
    AssetViews views = new AssetViews(ctx.pool(), storage, config.cdnBaseUrl(), config.presignTtl(), playback);
    UploadCompletion completion = new UploadCompletion(ctx.pool(), storage.bucket(), images, views, cms, clock);
    MultipartObjects objects = new MultipartObjects(ctx.vertx(), storage, policy);
    StreamedUploads streamed = new StreamedUploads(storage, policy, config.partSizeBytes(), completion);
    TusUploads tus = new TusUploads(ctx.vertx(), ctx.pool(), storage, policy, config.partSizeBytes(),
      config.tusExpiry(), completion, objects, cms, clock);
    UrlImports imports = new UrlImports(ctx.vertx(), ctx.pool(), storage, policy, objects, completion, cms,
      config.partSizeBytes(), clock);
    fetcher = new SafeFetcher(ctx.vertx(), config.imports().fetch(policy.maxAny()));
    importRunner = new ImportRunner(ctx.vertx(), ctx.pool(), fetcher, storage, policy, imports, config.imports(),
      clock);
    DirectUploads direct = new DirectUploads(ctx.vertx(), ctx.pool(), storage, policy, config.presignTtl(), images,
      views, cms, clock);
    AssetReads reads = new AssetReads(ctx.pool(), views);
    Thumbnails thumbnails = new Thumbnails(ctx.vertx(), ctx.pool(), storage, images, views,
      config.thumbnailMaxDimension(), clock);
    AssetDeletion deletion = new AssetDeletion(ctx.vertx(), ctx.pool(), storage, clock);

    ctx.router().post(MediaApi.UPLOAD_PATH).handler(new UploadRoute(streamed, ctx.tokens(), MediaApi.UPLOAD_ACCESS));
    new TusRoute(tus, ctx.tokens(), MediaApi.UPLOAD_ACCESS).mount(ctx.router());
    ctx.busService()
      .handle(MediaApi.GET, (q, caller) -> reads.get(q.id()))
      .handle(MediaApi.BY_CONTENT, (q, caller) -> reads.byContent(q.contentId()))
      .handle(MediaApi.UPLOADS_CREATE, (q, caller) -> direct.create(caller, q))
      .handle(MediaApi.COMPLETE, (q, caller) -> direct.complete(q.id()))
      .handle(MediaApi.THUMBNAIL, (q, caller) -> thumbnails.thumbnail(q))
      .handle(MediaApi.DELETE, (q, caller) -> deletion.delete(q.id()))
      .handle(MediaApi.IMPORTS_CREATE, (q, caller) -> imports.create(caller, q).onSuccess(v -> importRunner.wake()))
      .handle(MediaApi.IMPORTS_GET, (q, caller) -> imports.get(q.id()));
    sweeper = ctx.vertx().setPeriodic(config.sweepInterval().toMillis(), id -> {
      deletion.sweep();
      tus.sweep();
    });
    return Future.fromCompletionStage(storage.ensureBucket(), ctx.vertx().getOrCreateContext())
      .compose(v -> ctx.consume("playback", Set.of(Topics.PROCESSING), playback::apply))
      .onSuccess(v -> importRunner.start()).mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    if (context != null) {
      context.vertx().cancelTimer(sweeper);
    }
    if (importRunner != null) {
      importRunner.stop();
    }
    Future<Void> closed = fetcher == null ? Future.succeededFuture() : fetcher.close();
    return closed.eventually(() -> {
      if (storage != null) {
        storage.close();
      }
      return Future.succeededFuture();
    });
  }
}
