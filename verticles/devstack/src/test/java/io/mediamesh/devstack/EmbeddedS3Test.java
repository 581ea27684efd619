package io.mediamesh.devstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-process store speaks real S3 to the AWS SDK, keeps objects on disk, and checks signatures. */
class EmbeddedS3Test {

  @TempDir
  static Path dir;
  static EmbeddedS3 s3;

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.start("127.0.0.1", 0, dir, "access-test", "secret-test-0123456789");
  }

  @AfterAll
  static void stop() {
    s3.stop();
  }

  private static S3Client client(String secret) {
    return S3Client.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.US_EAST_1)
      .forcePathStyle(true)
      .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), secret)))
      .build();
  }

  @Test
  void storesAndServesObjectsByteForByte() {
    try (S3Client client = client(s3.secretKey())) {
      client.createBucket(b -> b.bucket("media"));
      client.putObject(b -> b.bucket("media").key("a/b.txt"), RequestBody.fromString("héllo", StandardCharsets.UTF_8));
      assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("a/b.txt")).asUtf8String()).isEqualTo("héllo");
      assertThat(client.listObjectsV2(b -> b.bucket("media")).contents()).extracting(o -> o.key())
        .containsExactly("a/b.txt");
    }
  }

  @Test
  void wrongSecretIsRefused() {
    try (S3Client client = client("not-the-secret")) {
      assertThatThrownBy(() -> client.listBuckets()).isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
    }
  }
}
