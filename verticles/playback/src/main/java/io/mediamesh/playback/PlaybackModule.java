package io.mediamesh.playback;

import io.mediamesh.common.api.PlaybackApi;
import io.mediamesh.common.api.PlaybackApi.GrantType;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.readmodel.ContentProjection;
import io.mediamesh.common.readmodel.ReadModelModule;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.stream.PathTokens;
import io.mediamesh.common.stream.StreamSecret;
import io.mediamesh.common.stream.StreamSessionKeys;
import io.mediamesh.playback.payment.RecordingProvider;
import io.mediamesh.playback.sessions.PathTokenSigner;
import io.mediamesh.playback.sessions.StreamSessions;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The playback service: plans and rights, the access rules of content, the access check, playback sessions with
 * signed stream URLs and stream limits, watch progress. Owns {@code playback_db} (rights are durable) and keys in
 * Redis (sessions and stream slots last minutes); keeps the content projection to know what is published and ready
 * to play. Emits {@code playback.*}, {@code entitlement.*}, {@code rental.started|expired}, {@code order.recorded};
 * sessions that stop reporting and rentals that run out are ended and announced by the {@link Sweeper}. API:
 * {@link PlaybackApi}.
 */
public final class PlaybackModule implements ReadModelModule {

  public static final String NAME = PlaybackApi.SERVICE;
  /** Published (cluster-wide) when an access rule or the published catalog changed: every instance forgets. */
  static final String CONTENT_CHANGED = "mediamesh.playback.content.changed";
  private Sweeper sweeper;
  private io.vertx.core.eventbus.MessageConsumer<Object> contentChanges;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Dependency> dependencies() {
    return EnumSet.of(Dependency.POSTGRES, Dependency.REDIS, Dependency.KAFKA);
  }

  @Override
  public List<String> topics() {
    List<String> topics = new ArrayList<>(ReadModelModule.super.topics());
    topics.add(Topics.PLAYBACK);
    return topics;
  }

  @Override
  public Future<Void> start(ServiceContext ctx) {
    PlaybackConfig config;
    try {
      config = PlaybackConfig.from(ctx.config().raw());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return ctx.vertx().executeBlocking(() -> StreamSecret.resolve(ctx.platform().raw())).compose(secret -> {
      Rules rules = new Rules(ctx.pool(), ctx.bus(), config, ctx.clock());
      Commerce commerce = new Commerce(ctx.pool(), config, ctx.clock(), new RecordingProvider(), rules,
        ctx.bus());
      StreamSessions sessions = new StreamSessions(ctx.redis(), config.sessionTtlMs());
      java.util.function.Consumer<java.util.UUID> ended =
        id -> ctx.vertx().eventBus().publish(StreamSessionKeys.ENDED_ADDRESS, id.toString());
      Plays plays = new Plays(ctx.pool(), config, ctx.clock(), rules, sessions,
        new PathTokenSigner(new PathTokens(secret), config.streamBaseUrl()), ended);
      sweeper = new Sweeper(ctx.vertx(), ctx.pool(), ctx.clock(), config, sessions, ended);
      sweeper.start();
      Progress progress = new Progress(ctx.pool());
      ctx.busService()
        .handle(PlaybackApi.PLANS_LIST, (q, caller) -> commerce.plans(true))
        .handle(PlaybackApi.PLANS_ALL, (q, caller) -> commerce.plans(false))
        .handle(PlaybackApi.PLANS_CREATE, (q, caller) -> commerce.createPlan(q))
        .handle(PlaybackApi.PLANS_UPDATE, (q, caller) -> commerce.updatePlan(q))
        .handle(PlaybackApi.RIGHTS_GET, rules::get)
        .handle(PlaybackApi.RIGHTS_PUT, (q, caller) -> rules.put(q, caller).onSuccess(x -> contentChanged(ctx)))
        .handle(PlaybackApi.GRANTS_CREATE, commerce::grant)
        .handle(PlaybackApi.GRANTS_REVOKE, (q, caller) -> commerce.revoke(q))
        .handle(PlaybackApi.ENTITLEMENTS, (q, caller) -> commerce.entitlements(Viewer.of(caller)))
        .handle(PlaybackApi.SUBSCRIBE, (q, caller) -> commerce.subscribe(Viewer.of(caller), q.planId()))
        .handle(PlaybackApi.PURCHASE, (q, caller) -> commerce.buy(Viewer.of(caller), q, GrantType.PURCHASE))
        .handle(PlaybackApi.RENT, (q, caller) -> commerce.buy(Viewer.of(caller), q, GrantType.RENTAL))
        .handle(PlaybackApi.ACCESS_CHECK, (q, caller) -> plays.decide(Viewer.of(caller), q))
        .handle(PlaybackApi.PLAY, (q, caller) -> plays.play(Viewer.of(caller), q))
        .handle(PlaybackApi.HEARTBEAT, (q, caller) -> plays.heartbeat(Viewer.of(caller), q))
        .handle(PlaybackApi.STOP, (q, caller) -> plays.stop(Viewer.of(caller), q))
        .handle(PlaybackApi.CONTINUE_WATCHING, (q, caller) -> progress.continueWatching(Viewer.of(caller), q))
        .handle(PlaybackApi.HISTORY, (q, caller) -> progress.history(Viewer.of(caller), q));
      contentChanges = ctx.vertx().eventBus().<Object>consumer(CONTENT_CHANGED, msg -> plays.forgetContent());
      return ctx.consumeBatches("read-model", ContentProjection.TOPICS,
        (batch, tx) -> ContentProjection.apply(batch, tx).map(touched -> () -> {
          contentChanged(ctx);
          return Future.succeededFuture();
        }));
    }).mapEmpty();
  }

  private static void contentChanged(ServiceContext ctx) {
    ctx.vertx().eventBus().publish(CONTENT_CHANGED, null);
  }

  @Override
  public Future<Void> stop() {
    if (sweeper != null) {
      sweeper.stop();
    }
    return contentChanges == null ? Future.succeededFuture() : contentChanges.unregister();
  }
}
