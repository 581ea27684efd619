package io.mediamesh.cms;

import io.mediamesh.cms.domain.Workflow.Action;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.vertx.core.Future;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;


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
    CmsConfig config = CmsConfig.from(ctx.config().raw());
    CmsService cms = new CmsService(ctx.pool(), ctx.clock());
    ctx.busService()
      .handle(CmsApi.PROGRAM_CREATE, (q, caller) -> cms.createProgram(caller, q))
      .handle(CmsApi.PROGRAM_GET, (q, caller) -> cms.getProgram(q))
      .handle(CmsApi.PROGRAM_LIST, (q, caller) -> cms.listPrograms(q))
      .handle(CmsApi.PROGRAM_UPDATE, (q, caller) -> cms.updateProgram(q))
      .handle(CmsApi.PROGRAM_DELETE, (q, caller) -> cms.deleteProgram(q))
      .handle(CmsApi.PROGRAM_PUBLISH, (q, caller) -> cms.publishProgram(q))
      .handle(CmsApi.PROGRAM_UNPUBLISH, (q, caller) -> cms.transitionProgram(Action.UNPUBLISH, q))
      .handle(CmsApi.PROGRAM_ARCHIVE, (q, caller) -> cms.transitionProgram(Action.ARCHIVE, q))
      .handle(CmsApi.PROGRAM_RESTORE, (q, caller) -> cms.transitionProgram(Action.RESTORE, q))
      .handle(CmsApi.EPISODE_CREATE, (q, caller) -> cms.createEpisode(q))
      .handle(CmsApi.EPISODE_GET, (q, caller) -> cms.getEpisode(q))
      .handle(CmsApi.EPISODE_LIST, (q, caller) -> cms.listEpisodes(q))
      .handle(CmsApi.EPISODE_UPDATE, (q, caller) -> cms.updateEpisode(q))
      .handle(CmsApi.EPISODE_DELETE, (q, caller) -> cms.deleteEpisode(q))
      .handle(CmsApi.EPISODE_PUBLISH, (q, caller) -> cms.publishEpisode(q))
      .handle(CmsApi.EPISODE_UNPUBLISH, (q, caller) -> cms.transitionEpisode(Action.UNPUBLISH, q));
    scheduler = new PublishScheduler(ctx.vertx(), ctx.pool(), cms, config.schedulerIntervalMs(), ctx.clock());
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
