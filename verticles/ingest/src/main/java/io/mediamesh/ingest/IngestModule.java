package io.mediamesh.ingest;

import io.mediamesh.common.api.IngestApi;
import io.mediamesh.common.auth.ServiceClientSecret;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.ingest.auth.ServiceIdentity;
import io.mediamesh.ingest.fetch.SafeFetcher;
import io.mediamesh.ingest.run.Importer;
import io.mediamesh.ingest.run.JobRunner;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.mediamesh.common.api.IngestApi.operation;

/**
 * The ingest service: imports RSS podcasts, YouTube channel feeds and JSON APIs into CMS drafts with metadata, as
 * background jobs with retries, on schedule, safely (no private addresses, bounded fetches, no XML entities).
 * Owns {@code ingest_db}; emits {@code ingest.completed} / {@code ingest.failed} to {@code ingest.events}; talks
 * to the CMS and metadata services only over the bus, as its service account. Bus API: {@link IngestApi}.
 */
public final class IngestModule implements ServiceModule {

  public static final String NAME = IngestApi.SERVICE;

  private JobRunner runner;
  private SafeFetcher fetcher;

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
    // auth.events is consumed here (owners disabled or demoted stop their sources); creating it if missing is harmless
    return List.of(Topics.INGEST, Topics.AUTH);
  }

  @Override
  public Future<Void> start(ServiceContext ctx) {
    IngestConfig config;
    try {
      config = IngestConfig.from(ctx.platform().raw());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return ctx.vertx().executeBlocking(() -> ServiceClientSecret.resolve(ctx.platform().raw(),
      ServiceIdentity.CLIENT_ID), false).compose(secret -> ctx.consume("source-owners", java.util.Set.of(Topics.AUTH),
        new io.mediamesh.ingest.run.OwnerChanges()).map(secret)).map(secret -> {
        ServiceIdentity identity = new ServiceIdentity(ctx.bus(), secret, Clock.systemUTC());
        fetcher = new SafeFetcher(ctx.vertx(), config);
        Importer importer = new Importer(ctx.vertx(), ctx.pool(), ctx.bus(), fetcher, identity, config);
        runner = new JobRunner(ctx.vertx(), ctx.pool(), importer, config);
        IngestService ingest = new IngestService(ctx.pool(), config, runner::wake);
        Access editors = Access.roles(Role.ADMIN, Role.EDITOR);
        ctx.busService()
          .handle(operation(IngestApi.JOBS_CREATE), editors, req -> ingest.createJob(req.caller(), req.body()))
          .handle(operation(IngestApi.JOBS_GET), editors, req -> ingest.getJob(req.body()))
          .handle(operation(IngestApi.JOBS_LIST), editors, req -> ingest.listJobs(req.body()))
          .handle(operation(IngestApi.JOBS_DELETE), editors, req -> ingest.deleteJob(req.body()))
          .handle(operation(IngestApi.JOBS_RETRY), editors, req -> ingest.retryJob(req.body()))
          .handle(operation(IngestApi.SOURCES_CREATE), editors, req -> ingest.createSource(req.caller(), req.body()))
          .handle(operation(IngestApi.SOURCES_LIST), editors, req -> ingest.listSources(req.body()))
          .handle(operation(IngestApi.SOURCES_DELETE), editors, req -> ingest.deleteSource(req.body()));
        runner.start();
        return null;
      });
  }

  @Override
  public Future<Void> stop() {
    if (runner != null) {
      runner.stop();
    }
    return fetcher == null ? Future.succeededFuture() : fetcher.close();
  }
}
