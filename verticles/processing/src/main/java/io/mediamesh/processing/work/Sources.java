package io.mediamesh.processing.work;

import io.mediamesh.processing.jobs.JobFailure;
import io.mediamesh.storage.Storage;
import io.vertx.core.Future;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.file.Path;

/** The asset's original, fetched from storage to the attempt's folder (FFmpeg reads files, and seeks in them). */
final class Sources {

  private Sources() {
  }

  static Future<Void> download(Outputs outputs, String key, Path file) {
    if (key == null || key.isBlank()) {
      return Future.failedFuture(JobFailure.fatal("the job names no source"));
    }
    return outputs.download(key, file).recover(err -> {
      Throwable cause = Storage.unwrap(err);
      if (cause instanceof NoSuchKeyException || (cause instanceof S3Exception s && s.statusCode() == 404)) {
        return Future.failedFuture(JobFailure.fatal("the source is no longer in storage"));
      }
      return Future.failedFuture(new JobFailure("storage unavailable: " + cause.getMessage(), true));
    });
  }
}
