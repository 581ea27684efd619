package io.mediamesh.discovery;

import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.vertx.core.Future;

import java.util.EnumSet;
import java.util.Set;

/**
 * The discovery service: read model of published content, trending and popular. Owns {@code discovery_db}.
 * The kernel opens its dependencies and serves {@code /health}, {@code /ready} and {@code /metrics}; the domain
 * registers its bus handlers and consumers in {@link #start}.
 */
public final class DiscoveryModule implements ServiceModule {

  public static final String NAME = "discovery";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Dependency> dependencies() {
    return EnumSet.of(Dependency.POSTGRES, Dependency.REDIS, Dependency.KAFKA);
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    return Future.succeededFuture();
  }
}
