package io.mediamesh.devstack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka 3.9 broker (KRaft, combined broker and controller) in this JVM, bound to one host
 * (127.0.0.1 by default). The log directory is formatted on first use and kept, so a restart on the same directory
 * keeps its topics and offsets. For development and tests; production points {@code kafka.bootstrapServers} at a
 * real cluster.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final String host;
  private final int port;
  private final int controllerPort;
  private final Path dataDir;
  private KafkaRaftServer server;

  private EmbeddedKafka(String host, int port, int controllerPort, Path dataDir) {
    this.host = host;
    this.port = port;
    this.controllerPort = controllerPort;
    this.dataDir = dataDir;
  }

  /** Starts a broker; port 0 picks free ports. Blocks until the broker answers. */
  public static EmbeddedKafka start(String host, int port, Path dataDir) {
    int[] free = FreePorts.distinct(host, 2);
    int brokerPort = port == 0 ? free[0] : port;
    int controllerPort = free[1] == brokerPort ? free[0] : free[1];
    EmbeddedKafka kafka = new EmbeddedKafka(host, brokerPort, controllerPort, dataDir);
    kafka.startServer();
    return kafka;
  }

  public String bootstrapServers() {
    return host + ":" + port;
  }

  /** Starts the broker again after {@link #stop()}, on the same ports and data (to test outages). */
  public synchronized void restart() {
    if (server != null) {
      throw new IllegalStateException("broker is running");
    }
    startServer();
  }

  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void startServer() {
    long began = System.nanoTime();
    try {
      Files.createDirectories(dataDir);
      Properties props = properties();
      KafkaConfig config = KafkaConfig.fromProps(props, false);
      formatIfNeeded();
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      awaitReady();
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("embedded Kafka did not start on " + bootstrapServers() + ": " + e.getMessage(), e);
    }
    LOG.info("embedded Kafka on {} ready in {} ms (data {})", bootstrapServers(),
      TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), dataDir);
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dataDir.toAbsolutePath().toString());
    p.put("num.partitions", "3");
    p.put("default.replication.factor", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    p.put("log.retention.hours", "168");
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    p.put("socket.request.max.bytes", String.valueOf(100 * 1024 * 1024));
    return p;
  }

  private void formatIfNeeded() throws Exception {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      return;
    }
    String dir = dataDir.toAbsolutePath().toString();
    new Formatter()
      .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
      .setClusterId(Uuid.randomUuid().toString())
      .setNodeId(1)
      .setControllerListenerName("CONTROLLER")
      .setMetadataLogDirectory(dir)
      .setDirectories(List.of(dir))
      .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
      .setSupportedFeatures(Features.PRODUCTION_FEATURES)
      .setUnstableFeatureVersionsEnabled(false)
      .setIgnoreFormatted(true)
      .run();
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
      AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
        Thread.sleep(Duration.ofMillis(100).toMillis());
      }
    }
  }
}
