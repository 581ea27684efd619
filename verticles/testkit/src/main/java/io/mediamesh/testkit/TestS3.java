package io.mediamesh.testkit;

import io.mediamesh.common.config.S3Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;

/** A plain S3 client on the store a test's services use, for reading (and checking) what they stored. */
public final class TestS3 {

  private TestS3() {
  }

  public static S3Client client(S3Config config) {
    return S3Client.builder().endpointOverride(URI.create(config.endpoint())).region(Region.US_EAST_1)
      .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
        config.accessKey(), config.secretKey()))).build();
  }
}
