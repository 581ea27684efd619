package io.mediamesh.common.runtime;

import io.vertx.core.Future;

import java.util.List;
import java.util.Set;

/**
 * One MediaMesh service: its name (also its config section, database migrations folder {@code db/<name>} and bus
 * address prefix), what infrastructure it needs, the topics it produces to, and its domain start-up.
 * <p>
 * Modules are found with {@link java.util.ServiceLoader}: a service jar lists its module in
 * {@code META-INF/services/io.mediamesh.common.runtime.ServiceModule}. Each deployment gets a new instance.
 * The kernel ({@link ServiceVerticle}) does the plumbing; a module adds only its domain.
 */
public interface ServiceModule {

  String name();

  Set<Dependency> dependencies();

  /** Topics this service writes to through its outbox; they and their {@code .dlq} are created at start. */
  default List<String> topics() {
    return List.of();
  }

  /**
   * Shared schemas this service keeps in its database besides its own migrations, e.g. {@code readmodel} (the
   * content projection of {@link io.mediamesh.common.readmodel.ContentProjection}).
   */
  default List<String> sharedSchemas() {
    return List.of();
  }

  /** Registers bus handlers, consumers and routes; the deployment fails if the future fails. */
  Future<Void> start(ServiceContext context);

  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
