package io.mediamesh.storage;

import io.mediamesh.common.config.S3Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The S3 client, presigner and bucket shared by the media and processing services (media owns the assets;
 * processing writes their renditions under each asset's prefix). Works with AWS S3 or any S3-compatible store
 * (endpoint and keys from config, path-style addressing).
 */
public final class Storage implements AutoCloseable {

  private final S3AsyncClient client;
  private final S3Presigner presigner;
  private final String bucket;

  private Storage(S3AsyncClient client, S3Presigner presigner, String bucket) {
    this.client = client;
    this.presigner = presigner;
    this.bucket = bucket;
  }

  public static Storage create(S3Config config) {
    if (!config.configured()) {
      throw new IllegalArgumentException("s3.endpoint is not configured (MEDIAMESH_S3_ENDPOINT)");
    }
    AwsCredentialsProvider credentials = config.accessKey().isEmpty()
      ? DefaultCredentialsProvider.builder().build()
      : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
    URI endpoint = URI.create(config.endpoint());
    S3AsyncClient client = S3AsyncClient.builder().region(Region.of(config.region())).credentialsProvider(credentials)
      .endpointOverride(endpoint).forcePathStyle(true).build();
    S3Presigner presigner = S3Presigner.builder().region(Region.of(config.region())).credentialsProvider(credentials)
      .endpointOverride(endpoint)
      .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    return new Storage(client, presigner, config.bucket());
  }

  public String bucket() {
    return bucket;
  }

  public CompletableFuture<HeadBucketResponse> headBucket() {
    return client.headBucket(b -> b.bucket(bucket));
  }

  /** Creates the bucket unless it exists (also when another instance created it a moment ago). */
  public CompletableFuture<Void> ensureBucket() {
    return headBucket().<Void>thenApply(r -> null).exceptionallyCompose(err -> {
      Throwable cause = unwrap(err);
      if (!(cause instanceof NoSuchBucketException) && !(cause instanceof S3Exception s && s.statusCode() == 404)) {
        return CompletableFuture.failedFuture(cause);
      }
      return client.createBucket(b -> b.bucket(bucket)).<Void>thenApply(r -> null).exceptionallyCompose(e2 ->
        unwrap(e2) instanceof BucketAlreadyOwnedByYouException ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(unwrap(e2)));
    });
  }

  public CompletableFuture<Void> put(String key, byte[] bytes, String contentType) {
    return client.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) bytes.length),
      AsyncRequestBody.fromBytes(bytes)).thenApply(r -> null);
  }

  public CompletableFuture<String> createMultipart(String key, String contentType) {
    return client.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType))
      .thenApply(r -> r.uploadId());
  }

  public CompletableFuture<CompletedPart> uploadPart(String key, String uploadId, int number, byte[] bytes) {
    return client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
        .contentLength((long) bytes.length), AsyncRequestBody.fromBytes(bytes))
      .thenApply(r -> CompletedPart.builder().partNumber(number).eTag(r.eTag()).build());
  }

  public CompletableFuture<Void> completeMultipart(String key, String uploadId, List<CompletedPart> parts) {
    return client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
      .multipartUpload(m -> m.parts(parts))).thenApply(r -> null);
  }

  public CompletableFuture<Void> abortMultipart(String key, String uploadId) {
    return client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)).thenApply(r -> null);
  }

  /**
   * Aborts {@code uploadId} when there is one and it is still open: none (null), or one aborted or completed already,
   * is not an error, so this can be repeated.
   */
  public CompletableFuture<Void> abortIfOpen(String key, String uploadId) {
    if (uploadId == null) {
      return CompletableFuture.completedFuture(null);
    }
    return abortMultipart(key, uploadId).exceptionallyCompose(err -> noSuchUpload(err)
      ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(unwrap(err)));
  }

  /** The object's head, or empty when there is no such object. */
  public CompletableFuture<Optional<HeadObjectResponse>> head(String key) {
    return client.headObject(b -> b.bucket(bucket).key(key)).thenApply(Optional::of).exceptionallyCompose(err -> {
      Throwable cause = unwrap(err);
      return cause instanceof NoSuchKeyException || (cause instanceof S3Exception s && s.statusCode() == 404)
        ? CompletableFuture.completedFuture(Optional.empty()) : CompletableFuture.failedFuture(cause);
    });
  }

  /** Uploads a file, streamed from disk (never held in memory). */
  public CompletableFuture<Void> putFile(String key, java.nio.file.Path file, String contentType) {
    return client.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), AsyncRequestBody.fromFile(file))
      .thenApply(r -> null);
  }

  /** Downloads an object into {@code file} (which must not exist), streamed to disk. */
  public CompletableFuture<Void> getFile(String key, java.nio.file.Path file) {
    return client.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toFile(file))
      .thenApply(r -> null);
  }

  /** The keys under {@code prefix}, every page of them. */
  public CompletableFuture<List<String>> keys(String prefix) {
    return keys(prefix, null, new java.util.ArrayList<>());
  }

  private CompletableFuture<List<String>> keys(String prefix, String token, List<String> into) {
    return client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(token).maxKeys(1000))
      .thenCompose(listing -> {
        listing.contents().forEach(o -> into.add(o.key()));
        return Boolean.TRUE.equals(listing.isTruncated())
          ? keys(prefix, listing.nextContinuationToken(), into) : CompletableFuture.completedFuture(into);
      });
  }

  /** Aborts every unfinished multipart upload under {@code prefix} (their parts are otherwise kept and billed). */
  public CompletableFuture<Void> abortUploads(String prefix) {
    return client.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).thenCompose(listing ->
      CompletableFuture.allOf(listing.uploads().stream()
        .map(u -> abortMultipart(u.key(), u.uploadId())).toArray(CompletableFuture[]::new)));
  }

  /** The first {@code length} bytes (fewer if the object is smaller). */
  public CompletableFuture<byte[]> prefix(String key, int length) {
    return client.getObject(b -> b.bucket(bucket).key(key).range("bytes=0-" + (length - 1)),
      AsyncResponseTransformer.toBytes()).thenApply(r -> r.asByteArray());
  }

  /** The whole object in memory: only for objects known to be small (images for thumbnails). */
  public CompletableFuture<byte[]> bytes(String key) {
    return client.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes())
      .thenApply(r -> r.asByteArray());
  }

  /** SHA-256 of an object, streamed: the object is never held in memory. */
  public CompletableFuture<String> sha256(String key) {
    return client.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toPublisher())
      .thenCompose(publisher -> {
        MessageDigest digest = sha256Digest();
        SdkPublisher<ByteBuffer> body = publisher;
        return body.subscribe(digest::update).thenApply(v -> HexFormat.of().formatHex(digest.digest()));
      });
  }

  /** Deletes objects; deleting one that is not there is not an error (S3 semantics), so this can be repeated. */
  public CompletableFuture<Void> delete(List<String> keys) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Delete delete = Delete.builder().objects(keys.stream().map(k -> ObjectIdentifier.builder().key(k).build())
      .toList()).quiet(true).build();
    return client.deleteObjects(b -> b.bucket(bucket).delete(delete)).thenCompose(r -> r.errors().isEmpty()
      ? CompletableFuture.<Void>completedFuture(null)
      : CompletableFuture.failedFuture(new IllegalStateException("storage refused to delete " + r.errors())));
  }

  /** Deletes every object whose key starts with {@code prefix} (an asset's keys: "media/<id>/"). */
  public CompletableFuture<Void> deletePrefix(String prefix) {
    return client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1000))
      .thenCompose(listing -> {
        List<String> keys = listing.contents().stream().map(o -> o.key()).toList();
        CompletableFuture<Void> deleted = delete(keys);
        return Boolean.TRUE.equals(listing.isTruncated()) ? deleted.thenCompose(v -> deletePrefix(prefix)) : deleted;
      });
  }

  public String presignGet(String key, Duration ttl) {
    return presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)))
      .url().toString();
  }

  /** As {@link #presignGet(String, Duration)}, answered with {@code contentType} whatever the object says. */
  public String presignGet(String key, Duration ttl, String contentType) {
    return presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)
      .responseContentType(contentType))).url().toString();
  }

  /**
   * Copies an object within the bucket, stored with {@code contentType} (the sniffed type, not what the uploader
   * declared) and served inline.
   */
  public CompletableFuture<Void> copy(String from, String to, String contentType) {
    return client.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
        .destinationKey(to).contentType(contentType).contentDisposition("inline")
        .metadataDirective(software.amazon.awssdk.services.s3.model.MetadataDirective.REPLACE))
      .thenApply(r -> null);
  }

  /** A URL for one PUT of exactly this type and length: both are signed, so the store refuses anything else. */
  public PresignedPutObjectRequest presignPut(String key, String contentType, long length, Duration ttl) {
    return presigner.presignPutObject(p -> p.signatureDuration(ttl)
      .putObjectRequest(o -> o.bucket(bucket).key(key).contentType(contentType).contentLength(length)));
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }

  public static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Throwable unwrap(Throwable err) {
    return err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
  }

  /**
   * Uploads the first {@code length} bytes of {@code bytes} as part {@code number}, without copying them: the
   * caller hands the array over and must not change it until the answer (a part is megabytes; one copy is enough).
   */
  public CompletableFuture<CompletedPart> uploadPartOwned(String key, String uploadId, int number, byte[] bytes,
                                                          int length) {
    AsyncRequestBody body = AsyncRequestBody.fromRemainingByteBufferUnsafe(ByteBuffer.wrap(bytes, 0, length));
    return client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
        .contentLength((long) length), body)
      .thenApply(r -> CompletedPart.builder().partNumber(number).eTag(r.eTag()).build());
  }

  /** Writes the first {@code length} bytes of {@code bytes} as one object, without copying them (as above). */
  public CompletableFuture<Void> putOwned(String key, byte[] bytes, int length, String contentType) {
    return client.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) length),
      AsyncRequestBody.fromRemainingByteBufferUnsafe(ByteBuffer.wrap(bytes, 0, length))).thenApply(r -> null);
  }

  /** Whether a failure says the multipart upload is not there (aborted or completed already). */
  public static boolean noSuchUpload(Throwable err) {
    Throwable cause = unwrap(err);
    return cause instanceof software.amazon.awssdk.services.s3.model.NoSuchUploadException
      || (cause instanceof S3Exception s && s.statusCode() == 404);
  }
}
