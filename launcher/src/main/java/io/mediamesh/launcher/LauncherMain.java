package io.mediamesh.launcher;

import io.mediamesh.common.config.ConfigLoader;
import io.mediamesh.common.config.KafkaConfig;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.config.S3Config;
import io.mediamesh.common.runtime.LaunchOptions;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.common.runtime.ServiceMain;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.devstack.EmbeddedKafka;
import io.mediamesh.devstack.EmbeddedS3;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs MediaMesh in one JVM: every service (or those named by {@code --services}) co-located, with working defaults
 * on a developer machine. When no Kafka or S3 endpoint is configured it starts a real in-process Kafka broker and
 * S3-compatible store (data kept under {@code .mediamesh/}) and points the services at them. On SIGTERM the
 * services stop first (ports freed, consumers and relays drained), then the store, then the broker.
 */
public final class LauncherMain {

  private static final Logger LOG = LoggerFactory.getLogger(LauncherMain.class);

  private LauncherMain() {
  }

  public static void main(String[] args) {
    LaunchOptions options = ServiceMain.orExit(() -> LaunchOptions.parse(args));
    PlatformConfig config = ServiceMain.orExit(() -> PlatformConfig.from(ConfigLoader.load(options.conf(),
      System.getenv())).with(options.overlay()));
    Map<String, Supplier<ServiceModule>> available = Platform.discover();
    List<Supplier<ServiceModule>> modules = ServiceMain.orExit(() -> Platform.select(available, options.services()));
    List<String> names = options.services() == null ? List.copyOf(available.keySet()) : options.services();
    List<Runnable> afterStop = new ArrayList<>();
    JsonObject overlay = new JsonObject();
    try {
      if (!config.kafka().configured()) {
        KafkaConfig k = config.kafka();
        EmbeddedKafka kafka = EmbeddedKafka.start(k.embeddedHost(), k.embeddedPort(), Path.of(k.embeddedDataDir()));
        afterStop.add(0, kafka::stop);
        overlay.put("kafka", new JsonObject().put("bootstrapServers", kafka.bootstrapServers()));
      }
      if (!config.s3().configured() && (names.contains("media") || names.contains("processing")
        || names.contains("discovery-gateway"))) {
        S3Config s = config.s3();
        String accessKey = s.accessKey().isEmpty() ? randomKey(10) : s.accessKey();
        String secretKey = s.secretKey().isEmpty() ? randomKey(20) : s.secretKey();
        EmbeddedS3 s3 = EmbeddedS3.start(s.embeddedHost(), s.embeddedPort(), Path.of(s.embeddedDataDir()),
          accessKey, secretKey);
        afterStop.add(0, s3::stop);
        overlay.put("s3", new JsonObject().put("endpoint", s3.endpoint()).put("accessKey", accessKey)
          .put("secretKey", secretKey));
      }
    } catch (RuntimeException e) {
      LOG.error("cannot start in-process infrastructure: {}", e.getMessage());
      afterStop.forEach(Runnable::run);
      System.exit(1);
      return;
    }
    LOG.info("starting {} (cluster {})", names, config.cluster().enabled() ? "on" : "off");
    ServiceMain.run(config.with(overlay), modules, afterStop);
  }

  /** Credentials for the in-process store only, new at every start; never a constant in code. */
  private static String randomKey(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
