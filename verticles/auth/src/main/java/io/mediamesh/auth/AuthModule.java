package io.mediamesh.auth;

import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.common.events.Topics;
import io.vertx.core.Future;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The auth service: users, password login, access and refresh tokens, roles. Owns {@code auth_db}.
 * The kernel opens its dependencies and serves {@code /health}, {@code /ready} and {@code /metrics}; the domain
 * registers its bus handlers and consumers in {@link #start}.
 */
public final class AuthModule implements ServiceModule {

  public static final String NAME = "auth";

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
    return List.of(Topics.AUTH);
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    return Future.succeededFuture();
  }
}
