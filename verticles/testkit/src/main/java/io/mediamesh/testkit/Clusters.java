package io.mediamesh.testkit;

import io.mediamesh.common.config.ClusterConfig;
import io.mediamesh.common.runtime.VertxFactory;
import io.mediamesh.devstack.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Real clustered Vert.x nodes in this JVM: Hazelcast over TCP on 127.0.0.1, with a cluster name of their own so
 * they never join anything else running on the machine.
 */
public final class Clusters {

  private Clusters() {
  }

  public static ClusterConfig loopback(int nodes) {
    int base = FreePorts.find("127.0.0.1");
    return new ClusterConfig(true, "test-" + UUID.randomUUID(), "127.0.0.1", base, List.of("127.0.0.1"));
  }

  public static List<Vertx> start(int nodes) {
    ClusterConfig config = loopback(nodes);
    List<Vertx> started = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      started.add(Await.result(VertxFactory.create(config, VertxFactory.newRegistry())));
    }
    return started;
  }

  public static void stop(List<Vertx> nodes) {
    Await.result(Future.all(nodes.stream().map(Vertx::close).toList()));
  }
}
