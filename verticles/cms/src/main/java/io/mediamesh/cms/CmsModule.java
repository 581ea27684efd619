package io.mediamesh.cms;

import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.common.events.Topics;
import io.vertx.core.Future;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The cms service: programs and episodes with the publishing workflow. Owns {@code cms_db}.
 * The kernel opens its dependencies and serves {@code /health}, {@code /ready} and {@code /metrics}; the domain
 * registers its bus handlers and consumers in {@link #start}.
 */
public final class CmsModule implements ServiceModule {

  public static final String NAME = "cms";

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
    return List.of(Topics.CONTENT);
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    return Future.succeededFuture();
  }
}
