package io.mediamesh.discovery;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiscoveryConfigTest {

  @Test
  void defaultsAreTheShippedOnes() {
    assertThat(DiscoveryConfig.from(new JsonObject()))
      .isEqualTo(new DiscoveryConfig(300_000, 60_000, 1800, 21_600, 604_800));
  }

  @Test
  void ttlsAreReadInSecondsAndKeptInMilliseconds() {
    DiscoveryConfig config = DiscoveryConfig.from(new JsonObject().put("detailTtlSeconds", 5).put("listTtlSeconds", 2));
    assertThat(config.detailTtlMs()).isEqualTo(5000);
    assertThat(config.listTtlMs()).isEqualTo(2000);
  }

  @Test
  void aSettingBelowOneIsRefusedNamingIt() {
    assertThatThrownBy(() -> DiscoveryConfig.from(new JsonObject().put("goneTtlSeconds", 0)))
      .isInstanceOf(ConfigException.class).hasMessageContaining("services.discovery.goneTtlSeconds");
  }
}
