package io.mediamesh.common.config;

import io.vertx.core.json.JsonObject;

/** S3-compatible storage; an empty {@code endpoint} means "none configured" (the launcher then starts one). */
public record S3Config(String endpoint, String region, String accessKey, String secretKey, String bucket,
                       String embeddedHost, int embeddedPort, String embeddedDataDir) {

  public static S3Config from(JsonObject root) {
    JsonObject o = Configs.section(root, "s3");
    JsonObject e = Configs.section(o, "embedded");
    return new S3Config(Configs.string(o, "s3", "endpoint"), Configs.string(o, "s3", "region"),
      Configs.string(o, "s3", "accessKey"), Configs.string(o, "s3", "secretKey"), Configs.string(o, "s3", "bucket"),
      Configs.string(e, "s3.embedded", "host"), Configs.port(e, "s3.embedded", "port"),
      Configs.string(e, "s3.embedded", "dataDir"));
  }

  public boolean configured() {
    return !endpoint.isBlank();
  }

  @Override
  public String toString() {
    return "S3Config[" + endpoint + ", bucket=" + bucket + "]";
  }
}
