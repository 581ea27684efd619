package io.mediamesh.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletableFuture;

/** The storage client answers with CompletableFutures; the service continues on its own Vert.x context. */
final class Stages {

  private Stages() {
  }

  static <T> Future<T> future(Vertx vertx, CompletableFuture<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }
}
