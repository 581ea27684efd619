package io.mediamesh.metadata;

import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.vertx.core.Future;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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
    MetadataService metadata = new MetadataService(ctx.pool(), new CmsClient(ctx.bus()), ctx.clock());
    ctx.busService()
      .handle(MetadataApi.CREATE, (q, caller) -> metadata.create(caller, q))
      .handle(MetadataApi.GET, (q, caller) -> metadata.get(q))
      .handle(MetadataApi.BY_CONTENT, (q, caller) -> metadata.byContent(q))
      .handle(MetadataApi.UPDATE, (q, caller) -> metadata.update(caller, q))
      .handle(MetadataApi.VERSIONS, (q, caller) -> metadata.versions(q))
      .handle(MetadataApi.VERSION, (q, caller) -> metadata.version(q))
      .handle(MetadataApi.RESTORE, (q, caller) -> metadata.restore(caller, q));
    return ctx.consume("content-deleted", Set.of(Topics.CONTENT), metadata::contentDeleted).mapEmpty();
  }
}
