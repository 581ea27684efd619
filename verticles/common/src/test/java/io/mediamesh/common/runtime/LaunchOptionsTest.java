package io.mediamesh.common.runtime;

import io.mediamesh.common.config.ConfigLoader;
import io.mediamesh.common.config.PlatformConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaunchOptionsTest {

  @Test
  void optionsBecomeAConfigurationOverlay() {
    LaunchOptions o = LaunchOptions.parse("--conf=/etc/mm.json", "--services=cms, auth", "--members=10.0.0.1,10.0.0.2:5702",
      "--cluster-port=5801");
    assertThat(o.conf()).isEqualTo(Path.of("/etc/mm.json"));
    assertThat(o.services()).containsExactly("cms", "auth");
    PlatformConfig config = PlatformConfig.from(ConfigLoader.load(null, Map.of())).with(o.overlay());
    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().members()).containsExactly("10.0.0.1", "10.0.0.2:5702");
    assertThat(config.cluster().port()).isEqualTo(5801);
  }

  @Test
  void noClusterWinsOverDefaultsAndNoOptionsChangeNothing() {
    assertThat(PlatformConfig.from(ConfigLoader.load(null, Map.of("MEDIAMESH_CLUSTER_ENABLED", "true")))
      .with(LaunchOptions.parse("--no-cluster").overlay()).cluster().enabled()).isFalse();
    assertThat(LaunchOptions.parse().overlay().isEmpty()).isTrue();
  }

  @Test
  void unknownOptionsAreRefusedWithUsage() {
    assertThatThrownBy(() -> LaunchOptions.parse("--servces=cms")).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("--servces=cms").hasMessageContaining("--services=");
    assertThatThrownBy(() -> LaunchOptions.parse("--cluster-port=x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownServiceIsRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> Platform.select(Map.of("cms", () -> null), java.util.List.of("cmz")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cmz").hasMessageContaining("cms");
  }
}
