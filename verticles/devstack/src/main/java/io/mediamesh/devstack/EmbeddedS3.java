package io.mediamesh.devstack;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible HTTP endpoint (S3Proxy) in this JVM, with AWS signature v2/v4 authentication. Objects live
 * in a directory (kept across restarts) or, with no directory, in memory. For development and tests; production
 * points {@code s3.endpoint} at S3 or MinIO.
 */
public final class EmbeddedS3 implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

  private final S3Proxy proxy;
  private final String endpoint;
  private final String accessKey;
  private final String secretKey;

  private EmbeddedS3(S3Proxy proxy, String endpoint, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /**
   * @param dataDir where objects are kept; null keeps them in memory
   * @param accessKey and secretKey: the credentials clients must sign with
   */
  public static EmbeddedS3 start(String host, int port, Path dataDir, String accessKey, String secretKey) {
    int chosen = port == 0 ? FreePorts.find(host) : port;
    String endpoint = "http://" + host + ":" + chosen;
    try {
      var store = dataDir == null ? new TransientNio2BlobStore() : filesystem(dataDir);
      S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(URI.create(endpoint))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .ignoreUnknownHeaders(true)
        .build();
      proxy.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("state " + proxy.getState());
        }
        Thread.sleep(10);
      }
      LOG.info("embedded S3 on {} ({})", endpoint, dataDir == null ? "in memory" : dataDir);
      return new EmbeddedS3(proxy, endpoint, accessKey, secretKey);
    } catch (Exception e) {
      throw new IllegalStateException("embedded S3 did not start on " + endpoint + ": " + e.getMessage(), e);
    }
  }

  private static FilesystemNio2BlobStore filesystem(Path dataDir) throws Exception {
    Files.createDirectories(dataDir);
    return new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString());
  }

  public String endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public void stop() {
    try {
      proxy.stop();
    } catch (Exception e) {
      LOG.warn("embedded S3 stop: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    stop();
  }
}
