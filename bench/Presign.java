import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

import java.net.URI;
import java.time.Duration;

/**
 * The playback benchmark's store yardstick: a presigned GET of one object straight from the S3-compatible store,
 * the URL a client would fetch without the gateway. Run with the platform jar on the class path:
 * {@code java -cp launcher/target/mediamesh.jar bench/Presign.java <endpoint> <bucket> <key> <accessKey> <secretKey>}.
 */
public class Presign {
  public static void main(String[] args) {
    try (S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create(args[0])).region(Region.US_EAST_1)
      .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
      .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[3], args[4]))).build()) {
      System.out.println(presigner.presignGetObject(GetObjectPresignRequest.builder()
        .signatureDuration(Duration.ofHours(1))
        .getObjectRequest(GetObjectRequest.builder().bucket(args[1]).key(args[2]).build()).build()).url());
    }
  }
}
