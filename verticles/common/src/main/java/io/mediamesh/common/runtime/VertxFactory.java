package io.mediamesh.common.runtime;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.mediamesh.common.config.ClusterConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Builds the Vertx instance: Micrometer metrics always, Hazelcast clustering on loopback when asked. */
public final class VertxFactory {

  private VertxFactory() {
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  public static Future<Vertx> create(ClusterConfig cluster, PrometheusMeterRegistry registry) {
    VertxOptions options = new VertxOptions()
      .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
    if (!cluster.enabled()) {
      return Future.succeededFuture(builder.with(options).build());
    }
    options.setEventBusOptions(new EventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host()));
    return builder.with(options).withClusterManager(new HazelcastClusterManager(hazelcast(cluster))).buildClustered();
  }

  /**
   * Hazelcast joined over TCP-IP only (multicast and cloud auto-detection off), bound to the configured host and
   * not to every interface: on a developer machine the cluster stays on loopback.
   */
  static Config hazelcast(ClusterConfig cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // a member given without a port is probed on this many ports from the cluster port up (several JVMs per host)
    config.setProperty("hazelcast.tcp.join.port.try.count", "20");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(50);
    network.getInterfaces().setEnabled(true).setInterfaces(java.util.List.of(cluster.host()));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
  }
}
