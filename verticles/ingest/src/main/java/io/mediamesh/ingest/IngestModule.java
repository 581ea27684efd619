package io.mediamesh.ingest;

import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.api.IngestApi;
import io.mediamesh.common.api.MetadataClient;
import io.mediamesh.common.auth.ServiceClientSecret;
import io.mediamesh.common.bus.BusService;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.net.SafeFetcher;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.ingest.auth.ServiceIdentity;
import io.mediamesh.ingest.run.Importer;
import io.mediamesh.ingest.run.JobRunner;
import io.mediamesh.ingest.run.OwnerChanges;
import io.mediamesh.ingest.run.SourceScheduler;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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
    Clock clock = ctx.clock();
    return clientSecret(ctx)
      .compose(secret -> ctx.consume("source-owners", Set.of(Topics.AUTH), new OwnerChanges(clock)).map(secret))
      .map(secret -> {
        ServiceIdentity identity = new ServiceIdentity(ctx.bus(), secret, clock);
        fetcher = new SafeFetcher(ctx.vertx(), config.fetch());
        Importer importer = new Importer(ctx.vertx(), ctx.pool(), fetcher, identity, new CmsClient(ctx.bus()),
          new MetadataClient(ctx.bus()), config);
        runner = new JobRunner(ctx.vertx(), ctx.pool(), importer, new SourceScheduler(ctx.pool(), clock), config,
          clock);
        register(ctx.busService(), new IngestService(ctx.pool(), clock, runner::wake), config);
        runner.start();
        return null;
      });
  }

  private static void register(BusService bus, IngestService ingest, IngestConfig config) {
    bus.handle(IngestApi.JOBS_CREATE, (q, caller) -> ingest.createJob(caller, q))
      .handle(IngestApi.JOBS_GET, (q, caller) -> ingest.getJob(q))
      .handle(IngestApi.JOBS_LIST, (q, caller) -> ingest.listJobs(q))
      .handle(IngestApi.JOBS_DELETE, (q, caller) -> ingest.deleteJob(q))
      .handle(IngestApi.JOBS_RETRY, (q, caller) -> ingest.retryJob(q))
      // the configured minimum interval (ingest.minIntervalSeconds), which tests lower to see schedules run
      .handle(IngestApi.sourcesCreate(config.minIntervalSeconds()), (q, caller) -> ingest.createSource(caller, q))
      .handle(IngestApi.SOURCES_LIST, (q, caller) -> ingest.listSources(q))
      .handle(IngestApi.SOURCES_DELETE, (q, caller) -> ingest.deleteSource(q));
  }

  /** Ingest's client secret for the auth service (read from a file in development: not on the event loop). */
  private static Future<String> clientSecret(ServiceContext ctx) {
    return ctx.vertx().executeBlocking(() -> ServiceClientSecret.resolve(ctx.platform().raw(),
      ServiceIdentity.CLIENT_ID), false);
  }

  @Override
  public Future<Void> stop() {
    if (runner != null) {
      runner.stop();
    }
    return fetcher == null ? Future.succeededFuture() : fetcher.close();
  }
}
