package io.mediamesh.media;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediaConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    MediaConfig c = MediaConfig.from(new JsonObject());
    assertThat(c.cdnBaseUrl()).isEmpty();
    assertThat(c.presignTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.maxImageBytes()).isEqualTo(20L << 20);
    assertThat(c.maxAudioBytes()).isEqualTo(500L << 20);
    assertThat(c.maxVideoBytes()).isEqualTo(5L << 30);
    assertThat(c.partSizeBytes()).isEqualTo(8 << 20);
    assertThat(c.thumbnailMaxDimension()).isEqualTo(2048);
    assertThat(c.maxImagePixels()).isEqualTo(40_000_000L);
    assertThat(c.tusExpiry()).isEqualTo(Duration.ofDays(1));
    assertThat(c.sweepInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void importsAllowNoPrivateHostByDefaultAndReadTheAllowlistAsAListOrCommaSeparated() {
    ImportConfig c = MediaConfig.from(new JsonObject()).imports();
    assertThat(c.allowedHosts()).isEmpty();
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxAttempts()).isEqualTo(5);
    assertThat(c.concurrency()).isEqualTo(2);
    assertThat(c.backoff(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.backoff(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(c.backoff(30)).as("capped").isEqualTo(Duration.ofMinutes(5));
    assertThat(c.fetch(100).allowedHostsKey()).isEqualTo("services.media.importAllowedHosts");
    assertThat(MediaConfig.from(new JsonObject().put("importAllowedHosts", " Files.Intranet, [::1],127.0.0.1 "))
      .imports().allowedHosts()).containsExactly("files.intranet", "::1", "127.0.0.1");
    assertThat(MediaConfig.from(new JsonObject().put("importAllowedHosts", new JsonArray().add("a").add("b")))
      .imports().allowedHosts()).containsExactly("a", "b");
    assertThatThrownBy(() -> MediaConfig.from(new JsonObject().put("importAllowedHosts", 5)))
      .isInstanceOf(ConfigException.class).hasMessageContaining("importAllowedHosts");
    assertThatThrownBy(() -> MediaConfig.from(new JsonObject().put("importConcurrency", 0)))
      .isInstanceOf(ConfigException.class).hasMessageContaining("import");
  }

  @Test
  void aTusExpiryUnderAMinuteIsRefused() {
    assertThat(MediaConfig.from(new JsonObject().put("tusExpirySeconds", 3600)).tusExpiry())
      .isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> MediaConfig.from(new JsonObject().put("tusExpirySeconds", 59)))
      .isInstanceOf(ConfigException.class).hasMessageContaining("tusExpirySeconds");
  }

  @Test
  void aCdnUrlLosesItsTrailingSlashAndPartsBelowS3sMinimumAreRefused() {
    assertThat(MediaConfig.from(new JsonObject().put("cdnBaseUrl", "https://cdn.example/")).cdnBaseUrl())
      .isEqualTo("https://cdn.example");
    assertThatThrownBy(() -> MediaConfig.from(new JsonObject().put("partSizeBytes", 1024 * 1024)))
      .isInstanceOf(ConfigException.class).hasMessageContaining("partSizeBytes");
  }
}
