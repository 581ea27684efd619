package io.mediamesh.search;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * The search service's settings ({@code services.search.*}), read once.
 *
 * @param engine what answers queries: {@code lucene} (an in-memory copy per instance, the default) or
 *               {@code postgres} (the index of record itself)
 * @param rankWindow matches PostgreSQL ranks at most ({@link PostgresSearchEngine#RANK_WINDOW})
 * @param lucene the in-memory copy's settings (used with {@code engine: lucene})
 * @param cache the answer cache's settings
 * @param changesRetentionSeconds how long the documents' change feed keeps a change (a copy further behind reloads)
 * @param indexConsumer the index consumer's name, which is its Kafka group: a second index (e.g. a rebuild beside
 *                      the live one) takes another
 * @param indexConsumers consumers of that group in this instance
 */
public record SearchConfig(Engine engine, int rankWindow, Lucene lucene, Cache cache, long changesRetentionSeconds,
                           String indexConsumer, int indexConsumers) {

  public enum Engine { LUCENE, POSTGRES }

  /**
   * @param directory where the copy's files go (a directory of their own under it, deleted when the service stops)
   * @param threads searches run at once (as many as the cores by default: a search is CPU work)
   * @param queue searches waiting at most; past it a search is refused at once (503)
   * @param pollMs how often the copy looks for changes other instances made
   */
  public record Lucene(Path directory, int threads, int queue, long pollMs) {
  }

  /**
   * @param maxEntries answers kept at most
   * @param maxBytes encoded bytes of answers kept at most
   * @param pollMs how often the index generation is read (with {@code engine: postgres}: changes of other instances)
   */
  public record Cache(int maxEntries, long maxBytes, long pollMs) {
  }

  /**
   * Reads {@code raw} ({@code services.search}); {@code partitions} is the topics' partition count, the default
   * number of index consumers: with fewer, one consumer holds two partitions of a topic and the other waits (two
   * consumers of three partitions indexed 1,900 events/s, three 3,600).
   */
  public static SearchConfig from(JsonObject raw, int partitions) {
    String engineName = raw.getString("engine", "lucene");
    Engine engine = switch (engineName) {
      case "lucene" -> Engine.LUCENE;
      case "postgres" -> Engine.POSTGRES;
      default -> throw new ConfigException("services.search.engine must be lucene or postgres, not " + engineName);
    };
    JsonObject lucene = raw.getJsonObject("lucene", new JsonObject());
    JsonObject cache = raw.getJsonObject("cache", new JsonObject());
    return new SearchConfig(engine,
      raw.getInteger("rankWindow", PostgresSearchEngine.RANK_WINDOW),
      new Lucene(Path.of(lucene.getString("directory", System.getProperty("java.io.tmpdir"))),
        lucene.getInteger("threads", Runtime.getRuntime().availableProcessors()), lucene.getInteger("queue", 1_000),
        lucene.getLong("pollMs", 100L)),
      new Cache(cache.getInteger("maxEntries", 20_000), cache.getLong("maxBytes", 64L * 1024 * 1024),
        cache.getLong("pollMs", 100L)),
      raw.getLong("changesRetentionSeconds", 600L),
      raw.getString("indexConsumer", SearchModule.CONSUMER),
      raw.getInteger("indexConsumers", partitions));
  }

  /** The engine's name, as configured and as the status answer shows it. */
  public String engineName() {
    return engine.name().toLowerCase(java.util.Locale.ROOT);
  }
}
