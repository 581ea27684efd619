package io.mediamesh.metadata;

import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.vertx.core.Future;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.mediamesh.common.api.MetadataApi.operation;

/**
 * The metadata service: validated metadata per program or episode with full version history and restore. Owns
 * {@code metadata_db}; emits {@code metadata.*} to {@code metadata.events}; consumes {@code content.deleted}.
 * Bus API: {@link MetadataApi}.
 */
public final class MetadataModule implements ServiceModule {

  public static final String NAME = MetadataApi.SERVICE;

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
    // content.events is consumed here; creating it (and its DLQ) if missing is harmless and lets this start first
    return List.of(Topics.METADATA, Topics.CONTENT);
  }

  @Override
  public Future<Void> start(ServiceContext ctx) {
    MetadataService metadata = new MetadataService(ctx.pool(), ctx.bus());
    Access editors = Access.roles(Role.ADMIN, Role.EDITOR);
    ctx.busService()
      .handle(operation(MetadataApi.CREATE), editors, req -> metadata.create(req.caller(), req.body()))
      .handle(operation(MetadataApi.GET), editors, req -> metadata.get(req.body()))
      .handle(operation(MetadataApi.BY_CONTENT), editors, req -> metadata.byContent(req.body()))
      .handle(operation(MetadataApi.UPDATE), editors, req -> metadata.update(req.caller(), req.body()))
      .handle(operation(MetadataApi.VERSIONS), editors, req -> metadata.versions(req.body()))
      .handle(operation(MetadataApi.VERSION), editors, req -> metadata.version(req.body()))
      .handle(operation(MetadataApi.RESTORE), editors, req -> metadata.restore(req.caller(), req.body()));
    return ctx.consume("content-deleted", Set.of(Topics.CONTENT), metadata::contentDeleted).mapEmpty();
  }
}
