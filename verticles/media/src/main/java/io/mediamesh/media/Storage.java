package io.mediamesh.media;

import io.mediamesh.common.config.S3Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The S3 client and bucket of the media service. Works with AWS S3 (no endpoint, credentials from the default AWS
 * chain) or any S3-compatible store (endpoint and keys from config, path-style addressing).
 */
public record Storage(S3AsyncClient client, String bucket) {

  public static Storage create(S3Config config) {
    if (!config.configured()) {
      throw new IllegalArgumentException("s3.endpoint is not configured (MEDIAMESH_S3_ENDPOINT)");
    }
    S3AsyncClientBuilder builder = S3AsyncClient.builder().region(Region.of(config.region()));
    builder.endpointOverride(URI.create(config.endpoint())).forcePathStyle(true);
    if (!config.accessKey().isEmpty()) {
      builder.credentialsProvider(StaticCredentialsProvider.create(
        AwsBasicCredentials.create(config.accessKey(), config.secretKey())));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return new Storage(builder.build(), config.bucket());
  }

  public CompletableFuture<HeadBucketResponse> headBucket() {
    return client.headBucket(b -> b.bucket(bucket));
  }

  /** Creates the bucket unless it exists (also when another instance created it a moment ago). */
  public CompletableFuture<Void> ensureBucket() {
    return headBucket().<Void>thenApply(r -> null).exceptionallyCompose(err -> {
      Throwable cause = err instanceof CompletionException ? err.getCause() : err;
      if (!(cause instanceof NoSuchBucketException) && !isNotFound(cause)) {
        return CompletableFuture.failedFuture(cause);
      }
      return client.createBucket(b -> b.bucket(bucket)).<Void>thenApply(r -> null).exceptionallyCompose(e2 -> {
        Throwable c2 = e2 instanceof CompletionException ? e2.getCause() : e2;
        return c2 instanceof BucketAlreadyOwnedByYouException ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(c2);
      });
    });
  }

  private static boolean isNotFound(Throwable t) {
    return t instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e && s3e.statusCode() == 404;
  }
}
