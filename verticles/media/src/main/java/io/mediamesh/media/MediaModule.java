package io.mediamesh.media;

import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.upload.UploadRoute;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.mediamesh.common.api.MediaApi.operation;

/**
 * The media service: assets in S3-compatible storage, streamed and presigned uploads, CDN or presigned URLs,
 * thumbnails. Owns {@code media_db} and the bucket (its readiness includes the storage); emits {@code media.*}.
 * API: {@link MediaApi}.
 */
public final class MediaModule implements ServiceModule {

  public static final String NAME = MediaApi.SERVICE;

  private Storage storage;
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
      config = MediaConfig.from(ctx.config());
      storage = Storage.create(ctx.platform().s3());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    ctx.readiness().register("storage", 2_000, p -> Future.fromCompletionStage(storage.headBucket())
      .onComplete(ar -> p.complete(ar.succeeded() ? Status.OK()
        : Status.KO(new JsonObject().put("reason", String.valueOf(ar.cause().getMessage()))))));
    MediaService media = new MediaService(ctx.vertx(), ctx.pool(), storage,
      new MimePolicy(config.maxImageBytes(), config.maxAudioBytes(), config.maxVideoBytes()), config,
      new io.mediamesh.common.api.CmsClient(ctx.bus()));
    Access editors = Access.roles(Role.ADMIN, Role.EDITOR);
    ctx.router().post(MediaApi.UPLOAD_PATH).handler(new UploadRoute(media, ctx.tokens(), editors));
    ctx.busService()
      .handle(operation(MediaApi.GET), editors, req -> media.get(req.body()))
      .handle(operation(MediaApi.BY_CONTENT), editors, req -> media.byContent(req.body()))
      .handle(operation(MediaApi.UPLOADS_CREATE), editors, req -> media.createUpload(req.caller(), req.body()))
      .handle(operation(MediaApi.COMPLETE), editors, req -> media.complete(req.body()))
      .handle(operation(MediaApi.THUMBNAIL), editors, req -> media.thumbnail(req.body()))
      .handle(operation(MediaApi.DELETE), Access.roles(Role.ADMIN), req -> media.delete(req.body()));
    sweeper = ctx.vertx().setPeriodic(30_000, id -> media.sweepDeletions());
    return Future.fromCompletionStage(storage.ensureBucket(), ctx.vertx().getOrCreateContext()).mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    if (context != null) {
      context.vertx().cancelTimer(sweeper);
    }
    if (storage != null) {
      storage.close();
    }
    return Future.succeededFuture();
  }
}
