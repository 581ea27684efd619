package io.mediamesh.discoverygateway;

import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.DiscoveryFacts;
import io.mediamesh.common.api.PlaybackApi;
import io.mediamesh.common.api.SearchApi;
import io.mediamesh.gateway.AuthRoutes;
import io.mediamesh.gateway.Forward;
import io.mediamesh.gateway.GatewayRequest;
import io.mediamesh.gateway.GatewayRouter;
import io.mediamesh.gateway.Hashes;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.json.JsonObject;

/** Every operation of {@code openapi/discovery-v1.yaml}: auth, cached public reads, search, views, GraphQL. */
final class DiscoveryRoutes {

  private final GatewayRouter gw;
  private final CachedReads reads;
  private final DiscoveryGatewayConfig.Cache ttl;

  DiscoveryRoutes(GatewayRouter gw, CachedReads reads, DiscoveryGatewayConfig.Cache ttl) {
    this.gw = gw;
    this.reads = reads;
    this.ttl = ttl;
  }

  void register(DiscoveryGraphql graphql) {
    gw.handle("contract", gw.contractDocument());
    AuthRoutes.register(gw);
    profiles(gw.downstream(AuthApi.SERVICE));
    Downstream discovery = gw.downstream(DiscoveryApi.SERVICE);
    Downstream search = gw.downstream(SearchApi.SERVICE);
    long detail = ttl.nearTtlMs();
    gw.handle("listPrograms", reads.read(discovery, DiscoveryApi.PROGRAMS_LIST,
      r -> DiscoveryFacts.list("programs", params(r).encode()), this::params, detail));
    gw.handle("getProgram", reads.detail(discovery, DiscoveryApi.PROGRAMS_GET,
      r -> DiscoveryFacts.program(r.path("id")), DiscoveryRoutes::id, detail, "program"),
      reads.detail(DiscoveryFacts::program));
    gw.handle("listProgramEpisodes", reads.read(discovery, DiscoveryApi.PROGRAM_EPISODES,
      r -> DiscoveryFacts.programEpisodes(r.path("id")) + r.queryObject("page", "size").encode(),
      r -> r.queryObject("page", "size").put("id", r.path("id")), detail));
    gw.handle("getEpisode", reads.detail(discovery, DiscoveryApi.EPISODES_GET,
      r -> DiscoveryFacts.episode(r.path("id")), DiscoveryRoutes::id, detail, "episode"),
      reads.detail(DiscoveryFacts::episode));
    gw.handle("listCategories", reads.read(discovery, DiscoveryApi.CATEGORIES,
      r -> DiscoveryFacts.list("categories", "{}"), r -> new JsonObject(), detail));
    // ranked lists change with views, which announce nothing: a short TTL of their own
    gw.handle("trending", reads.read(discovery, DiscoveryApi.TRENDING,
      r -> "r:trending:" + r.queryObject("limit").encode(), r -> r.queryObject("limit"), ttl.rankedTtlMs()));
    gw.handle("popular", reads.read(discovery, DiscoveryApi.POPULAR,
      r -> "r:popular:" + r.queryObject("limit").encode(), r -> r.queryObject("limit"), ttl.rankedTtlMs()));
    // search answers change with the index, not with discovery's invalidations: a TTL short enough to add little
    // to the indexing lag (a change is searchable within a second), long enough to absorb bursts of one query
    gw.handle("search", reads.read(search, SearchApi.QUERY,
      r -> "s:q:" + searchParams(r).encode(), this::searchParams, ttl.searchTtlMs()));
    gw.handle("suggest", reads.read(search, SearchApi.SUGGEST,
      r -> "s:s:" + r.queryObject("q", "limit").encode(), r -> r.queryObject("q", "limit"), ttl.searchTtlMs()));
    gw.handle("recordView", Forward.command(discovery, DiscoveryApi.VIEWS_RECORD)
      .with(r -> r.body().put("viewerId", viewer(r))).status(202));
    gw.handle("graphql", graphql);
    playback(gw.downstream(PlaybackApi.SERVICE));
  }

  private void profiles(Downstream auth) {
    gw.handle("listProfiles", Forward.query(auth, AuthApi.PROFILES_LIST));
    gw.handle("createProfile", Forward.command(auth, AuthApi.PROFILES_CREATE).with(GatewayRequest::body).status(201));
    gw.handle("updateProfile", Forward.command(auth, AuthApi.PROFILES_UPDATE).withBodyAndId());
    gw.handle("deleteProfile", Forward.command(auth, AuthApi.PROFILES_DELETE).withBodyAndId().status(204));
    gw.handle("selectProfile", Forward.command(auth, AuthApi.PROFILES_SELECT).withBodyAndId());
  }

  private void playback(Downstream playback) {
    gw.handle("listPlans", Forward.query(playback, PlaybackApi.PLANS_LIST));
    gw.handle("getEntitlements", Forward.query(playback, PlaybackApi.ENTITLEMENTS));
    gw.handle("subscribe", Forward.command(playback, PlaybackApi.SUBSCRIBE).with(GatewayRequest::body).status(201));
    gw.handle("purchase", Forward.command(playback, PlaybackApi.PURCHASE).with(GatewayRequest::body).status(201));
    gw.handle("rent", Forward.command(playback, PlaybackApi.RENT).with(GatewayRequest::body).status(201));
    gw.handle("play", Forward.command(playback, PlaybackApi.PLAY)
      .with(r -> new JsonObject().put("contentType", r.path("contentType")).put("contentId", r.path("id")))
      .status(201));
    gw.handle("heartbeat", Forward.command(playback, PlaybackApi.HEARTBEAT).withBodyAndId());
    gw.handle("stopSession", Forward.command(playback, PlaybackApi.STOP)
      .with(r -> r.queryObject("positionSeconds").put("id", r.path("id"))).status(204));
    gw.handle("continueWatching", Forward.query(playback, PlaybackApi.CONTINUE_WATCHING)
      .with(r -> r.queryObject("size")));
    gw.handle("watchHistory", Forward.query(playback, PlaybackApi.HISTORY).with(r -> r.queryObject("page", "size")));
  }

  private static JsonObject id(GatewayRequest r) {
    return new JsonObject().put("id", r.path("id"));
  }

  private JsonObject params(GatewayRequest r) {
    return r.queryObject("category", "language", "sort", "page", "size");
  }

  private JsonObject searchParams(GatewayRequest r) {
    return r.queryObject("q", "type", "category", "language", "kind", "genre", "page", "size");
  }

  /** Anonymous viewers are told apart by a hash of their address (never the address itself). */
  static String viewer(GatewayRequest r) {
    if (r.caller().authenticated()) {
      return r.caller().userId();
    }
    return "ip-" + Hashes.sha256Hex("viewer:" + r.clientIp(), 12);
  }
}
