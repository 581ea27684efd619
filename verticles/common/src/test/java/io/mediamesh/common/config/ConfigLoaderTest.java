package io.mediamesh.common.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  @Test
  void defaultsComeFromConfOnTheClasspath() {
    PlatformConfig config = PlatformConfig.from(ConfigLoader.load(null, Map.of()));
    assertThat(config.pg().host()).isEqualTo("127.0.0.1");
    assertThat(config.service("cms").port()).isEqualTo(8082);
    assertThat(config.service("cms").database()).isEqualTo("cms_db");
    assertThat(config.service("discovery-gateway").port()).isEqualTo(8080);
    assertThat(config.kafka().configured()).isFalse();
  }

  @Test
  void environmentOverridesNestedKeysWithTypes() {
    Map<String, String> env = Map.of(
      "MEDIAMESH_PG_PORT", "6543",
      "MEDIAMESH_KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
      "MEDIAMESH_SERVICES_CMS_GATEWAY_PORT", "9181",
      "MEDIAMESH_CLUSTER_ENABLED", "true",
      "MEDIAMESH_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2",
      "MEDIAMESH_ADMIN_EMAIL", "root@example.org",
      "UNRELATED", "x");
    PlatformConfig config = PlatformConfig.from(ConfigLoader.load(null, env));
    assertThat(config.pg().port()).isEqualTo(6543);
    assertThat(config.kafka().bootstrapServers()).isEqualTo("broker:9092");
    assertThat(config.service("cms-gateway").port()).isEqualTo(9181);
    assertThat(config.service("cms").port()).isEqualTo(8082);
    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().members()).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(config.raw().getJsonObject("admin").getString("email")).isEqualTo("root@example.org");
  }

  @Test
  void fileOverridesDefaultsAndEnvironmentOverridesFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mm.json");
    Files.writeString(file, new JsonObject()
      .put("pg", new JsonObject().put("host", "db.internal").put("port", 5433))
      .put("services", new JsonObject().put("cms", new JsonObject().put("port", 9000))).encode());
    PlatformConfig config = PlatformConfig.from(ConfigLoader.load(null,
      Map.of("MEDIAMESH_CONFIG", file.toString(), "MEDIAMESH_PG_PORT", "5434")));
    assertThat(config.pg().host()).isEqualTo("db.internal");
    assertThat(config.pg().port()).isEqualTo(5434);
    assertThat(config.service("cms").port()).isEqualTo(9000);
    assertThat(config.service("cms").database()).isEqualTo("cms_db");
  }

  @Test
  void badValuesFailNamingTheVariable() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("MEDIAMESH_PG_PORT", "five")))
      .isInstanceOf(ConfigException.class).hasMessageContaining("MEDIAMESH_PG_PORT");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("MEDIAMESH_CLUSTER_ENABLED", "yes")))
      .isInstanceOf(ConfigException.class).hasMessageContaining("MEDIAMESH_CLUSTER_ENABLED");
    assertThatThrownBy(() -> PlatformConfig.from(ConfigLoader.load(null, Map.of("MEDIAMESH_PG_PORT", "70000"))))
      .isInstanceOf(ConfigException.class).hasMessageContaining("pg.port");
  }

  @Test
  void unreadableFileIsAClearError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{ not json");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
      .isInstanceOf(ConfigException.class).hasMessageContaining("broken.json");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.json"), Map.of()))
      .isInstanceOf(ConfigException.class).hasMessageContaining("missing.json");
  }

  @Test
  void secretsAreNotPrinted() {
    PlatformConfig config = PlatformConfig.from(ConfigLoader.load(null, Map.of(
      "MEDIAMESH_PG_PASSWORD", "hunter2", "MEDIAMESH_REDIS_CONNECTION_STRING", "redis://user:s3cret@host:6379/0")));
    assertThat(config.pg().password()).isEqualTo("hunter2");
    assertThat(config.pg().toString()).doesNotContain("hunter2");
    assertThat(config.redis().toString()).doesNotContain("s3cret");
  }

  @Test
  void withOverlayKeepsTheRest() {
    PlatformConfig base = PlatformConfig.from(ConfigLoader.load(null, Map.of()));
    PlatformConfig changed = base.with(new JsonObject().put("kafka", new JsonObject().put("bootstrapServers", "k:1")));
    assertThat(changed.kafka().bootstrapServers()).isEqualTo("k:1");
    assertThat(changed.kafka().partitions()).isEqualTo(base.kafka().partitions());
    assertThat(base.kafka().configured()).isFalse();
    assertThat(List.of(changed.service("auth").database())).containsExactly("auth_db");
  }
}
