package io.mediamesh.discoverygateway;

import io.vertx.core.json.JsonObject;

/**
 * The discovery gateway's own settings beyond every gateway's ({@code GatewayConfig}), read once from
 * {@code services.discovery-gateway}: its {@code cache}, its {@code graphql} endpoint, and how many requests one
 * playback session may make of {@code /stream} per minute at one instance ({@code streamRequestsPerMinute}, 600: a
 * player asks a segment every few seconds per rendition; scrubbing asks more).
 */
record DiscoveryGatewayConfig(Cache cache, Graphql graphql, int streamRequestsPerMinute) {

  /**
   * @param nearMaxEntries answers kept in the near cache at most (50,000)
   * @param nearTtlMs how long a detail or list stays fresh without an invalidation ({@code nearTtlSeconds}, 60)
   * @param rankedTtlMs how long trending and popular stay fresh ({@code rankedTtlSeconds}, 5): they change with
   *                    views, which announce nothing
   * @param searchTtlMs how long a search or suggest answer stays fresh (250): it follows the index
   * @param staleTtlSeconds how long the last good answer is kept in Redis for stale-if-error (86,400)
   * @param maxAgeSeconds the {@code Cache-Control: max-age} of public reads (30)
   */
  record Cache(int nearMaxEntries, long nearTtlMs, long rankedTtlMs, long searchTtlMs, long staleTtlSeconds,
               long maxAgeSeconds) {
  }

  /**
   * @param graphiql whether GraphiQL is served at {@code /graphiql/} (false)
   * @param maxDepth the deepest query accepted (6)
   * @param maxComplexity the costliest query accepted (500 points)
   * @param pointsPerRead cost points charged as one more {@code reads} token (50)
   */
  record Graphql(boolean graphiql, int maxDepth, int maxComplexity, int pointsPerRead) {
  }

  static DiscoveryGatewayConfig from(JsonObject raw) {
    JsonObject c = raw.getJsonObject("cache", new JsonObject());
    JsonObject g = raw.getJsonObject("graphql", new JsonObject());
    return new DiscoveryGatewayConfig(
      new Cache(c.getInteger("nearMaxEntries", 50_000), c.getLong("nearTtlSeconds", 60L) * 1000,
        c.getLong("rankedTtlSeconds", 5L) * 1000, c.getLong("searchTtlMs", 250L), c.getLong("staleTtlSeconds", 86_400L),
        c.getLong("maxAgeSeconds", 30L)),
      new Graphql(g.getBoolean("graphiql", false), g.getInteger("maxDepth", 6), g.getInteger("maxComplexity", 500),
        g.getInteger("pointsPerRead", 50)),
      raw.getInteger("streamRequestsPerMinute", 600));
  }
}
