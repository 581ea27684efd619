package io.mediamesh.media;

import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The media service: assets in S3-compatible storage. Owns {@code media_db} and the bucket; its readiness includes
 * the storage ("storage": the bucket answers a HEAD).
 */
public final class MediaModule implements ServiceModule {

  public static final String NAME = "media";

  private S3AsyncClient s3;

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
  public Future<Void> start(ServiceContext context) {
    Storage storage;
    try {
      storage = Storage.create(context.platform().s3());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    s3 = storage.client();
    context.readiness().register("storage", 2_000, p -> Future.fromCompletionStage(storage.headBucket())
      .onComplete(ar -> p.complete(ar.succeeded() ? Status.OK()
        : Status.KO(new JsonObject().put("reason", String.valueOf(ar.cause().getMessage()))))));
    return Future.fromCompletionStage(storage.ensureBucket(), context.vertx().getOrCreateContext()).mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    if (s3 != null) {
      s3.close();
    }
    return Future.succeededFuture();
  }
}
