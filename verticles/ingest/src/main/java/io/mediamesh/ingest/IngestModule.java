package io.mediamesh.ingest;

import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.common.events.Topics;
import io.vertx.core.Future;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The ingest service: imports from RSS, YouTube channel feeds and JSON APIs. Owns {@code ingest_db}.
 * The kernel opens its dependencies and serves {@code /health}, {@code /ready} and {@code /metrics}; the domain
 * registers its bus handlers and consumers in {@link #start}.
 */
public final class IngestModule implements ServiceModule {

  public static final String NAME = "ingest";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Dependency> dependencies() {
    return EnumSet.of(Dependency.POSTGRES, Dependency.KAFKA);
  }

  @Override
  public List<String> topics() {
    return List.of(Topics.INGEST);
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    return Future.succeededFuture();
  }
}
