package io.mediamesh.media;

import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.upload.S3UploadStream;
import io.mediamesh.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.util.ArrayList;
import java.util.List;

/**
 * The end of an upload whose bytes went to storage part by part over several requests or attempts (tus, imports):
 * the object is put together from its parts, then read back as every upload is checked: its first bytes sniffed,
 * its SHA-256 computed as it streams from storage. What was checked is what is stored.
 */
final class MultipartObjects {

  private final Vertx vertx;
  private final Storage storage;
  private final MimePolicy policy;

  MultipartObjects(Vertx vertx, Storage storage, MimePolicy policy) {
    this.vertx = vertx;
    this.storage = storage;
    this.policy = policy;
  }

  /**
   * Puts the object at {@code key} together from the parts of {@code uploadId} ({@code etags}, part n at index n - 1),
   * unless a completion got that far before (the object is there with its {@code length} bytes, and the multipart
   * upload is no more).
   */
  Future<Void> complete(String key, String uploadId, List<String> etags, long length) {
    return stage(storage.head(key)).compose(head -> head.filter(h -> h.contentLength() == length).isPresent()
      ? Future.<Void>succeededFuture() : stage(storage.completeMultipart(key, uploadId, parts(etags))));
  }

  /**
   * What is stored at {@code key} ({@code length} bytes): the type of its first bytes, which must be accepted and
   * agree with {@code declaredMime} when there is one (415 otherwise), and its SHA-256.
   */
  Future<S3UploadStream.Result> facts(String key, long length, String declaredMime) {
    return stage(storage.prefix(key, MimePolicy.SNIFF_BYTES)).compose(prefix -> {
      MimePolicy.Sniffed sniffed = policy.check(prefix, declaredMime);
      return stage(storage.sha256(key)).map(sha -> new S3UploadStream.Result(length, sha, sniffed.mime(),
        sniffed.kind(), prefix));
    });
  }

  private static List<CompletedPart> parts(List<String> etags) {
    List<CompletedPart> parts = new ArrayList<>(etags.size());
    for (int i = 0; i < etags.size(); i++) {
      parts.add(CompletedPart.builder().partNumber(i + 1).eTag(etags.get(i)).build());
    }
    return parts;
  }

  private <T> Future<T> stage(java.util.concurrent.CompletableFuture<T> stage) {
    return Stages.future(vertx, stage);
  }
}
