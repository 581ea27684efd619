package io.mediamesh.cms;

import io.mediamesh.common.api.CmsApi;
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

import static io.mediamesh.common.api.CmsApi.operation;

/**
 * The CMS service: programs and episodes with the publishing workflow and scheduled publication. Owns
 * {@code cms_db}; emits {@code content.*} to {@code content.events}. Bus API: {@link CmsApi}.
 */
public final class CmsModule implements ServiceModule {

  public static final String NAME = CmsApi.SERVICE;

  private PublishScheduler scheduler;

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
  public Future<Void> start(ServiceContext ctx) {
    CmsService cms = new CmsService(ctx.pool());
    Access editors = Access.roles(Role.ADMIN, Role.EDITOR);
    Access admins = Access.roles(Role.ADMIN);
    ctx.busService()
      .handle(operation(CmsApi.PROGRAM_CREATE), editors, req -> cms.createProgram(req.caller(), req.body()))
      .handle(operation(CmsApi.PROGRAM_GET), editors, req -> cms.getProgram(req.body()))
      .handle(operation(CmsApi.PROGRAM_LIST), editors, req -> cms.listPrograms(req.body()))
      .handle(operation(CmsApi.PROGRAM_UPDATE), editors, req -> cms.updateProgram(req.body()))
      .handle(operation(CmsApi.PROGRAM_DELETE), admins, req -> cms.deleteProgram(req.body()))
      .handle(operation(CmsApi.PROGRAM_PUBLISH), editors,
        req -> cms.transitionProgram(CmsService.Action.PUBLISH, req.body()))
      .handle(operation(CmsApi.PROGRAM_UNPUBLISH), editors,
        req -> cms.transitionProgram(CmsService.Action.UNPUBLISH, req.body()))
      .handle(operation(CmsApi.PROGRAM_ARCHIVE), editors,
        req -> cms.transitionProgram(CmsService.Action.ARCHIVE, req.body()))
      .handle(operation(CmsApi.PROGRAM_RESTORE), editors,
        req -> cms.transitionProgram(CmsService.Action.RESTORE, req.body()))
      .handle(operation(CmsApi.EPISODE_CREATE), editors, req -> cms.createEpisode(req.body()))
      .handle(operation(CmsApi.EPISODE_GET), editors, req -> cms.getEpisode(req.body()))
      .handle(operation(CmsApi.EPISODE_LIST), editors, req -> cms.listEpisodes(req.body()))
      .handle(operation(CmsApi.EPISODE_UPDATE), editors, req -> cms.updateEpisode(req.body()))
      .handle(operation(CmsApi.EPISODE_DELETE), admins, req -> cms.deleteEpisode(req.body()))
      .handle(operation(CmsApi.EPISODE_PUBLISH), editors,
        req -> cms.transitionEpisode(CmsService.Action.PUBLISH, req.body()))
      .handle(operation(CmsApi.EPISODE_UNPUBLISH), editors,
        req -> cms.transitionEpisode(CmsService.Action.UNPUBLISH, req.body()));
    scheduler = new PublishScheduler(ctx.vertx(), ctx.pool(), cms,
      ctx.config().raw().getLong("schedulerIntervalMs", 250L));
    scheduler.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    if (scheduler != null) {
      scheduler.stop();
    }
    return Future.succeededFuture();
  }
}
