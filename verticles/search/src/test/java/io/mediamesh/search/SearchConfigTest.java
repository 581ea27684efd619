package io.mediamesh.search;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The search settings: their defaults, what overrides them, and an engine that does not exist. */
class SearchConfigTest {

  @Test
  void defaults() {
    SearchConfig config = SearchConfig.from(new JsonObject(), 3);
    assertThat(config.engine()).isEqualTo(SearchConfig.Engine.LUCENE);
    assertThat(config.engineName()).isEqualTo("lucene");
    assertThat(config.rankWindow()).isEqualTo(500);
    assertThat(config.lucene()).isEqualTo(new SearchConfig.Lucene(Path.of(System.getProperty("java.io.tmpdir")),
      Runtime.getRuntime().availableProcessors(), 1_000, 100));
    assertThat(config.cache()).isEqualTo(new SearchConfig.Cache(20_000, 64L * 1024 * 1024, 100));
    assertThat(config.changesRetentionSeconds()).isEqualTo(600);
    assertThat(config.indexConsumer()).isEqualTo("index");
    assertThat(config.indexConsumers()).isEqualTo(3); // one per partition
  }

  @Test
  void everySettingIsRead() {
    SearchConfig config = SearchConfig.from(new JsonObject().put("engine", "postgres").put("rankWindow", 2)
      .put("lucene", new JsonObject().put("directory", "/var/search").put("threads", 4).put("queue", 10)
        .put("pollMs", 50))
      .put("cache", new JsonObject().put("maxEntries", 5).put("maxBytes", 1_000).put("pollMs", 25))
      .put("changesRetentionSeconds", 60).put("indexConsumer", "rebuild").put("indexConsumers", 1), 3);
    assertThat(config).isEqualTo(new SearchConfig(SearchConfig.Engine.POSTGRES, 2,
      new SearchConfig.Lucene(Path.of("/var/search"), 4, 10, 50), new SearchConfig.Cache(5, 1_000, 25), 60,
      "rebuild", 1));
    assertThat(config.engineName()).isEqualTo("postgres");
  }

  @Test
  void anUnknownEngineIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> SearchConfig.from(new JsonObject().put("engine", "solr"), 3))
      .isInstanceOf(ConfigException.class)
      .hasMessage("services.search.engine must be lucene or postgres, not solr");
  }
}
