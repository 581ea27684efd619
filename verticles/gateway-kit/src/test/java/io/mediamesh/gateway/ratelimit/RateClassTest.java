package io.mediamesh.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A rate class's GCRA interval and its IETF {@code RateLimit-Policy} item. */
class RateClassTest {

  @Test
  void emissionIntervalIsOneRequestsShareOfTheWindow() {
    assertThat(new RateClass("reads", 6000, 60).emissionIntervalMs()).isEqualTo(10.0);
    assertThat(new RateClass("login-ip", 20, 60).emissionIntervalMs()).isEqualTo(3000.0);
    assertThat(new RateClass("odd", 6, 1).emissionIntervalMs()).isCloseTo(166.6667, within(0.0001));
  }

  @Test
  void policyItemNamesQuotaAndWindow() {
    assertThat(new RateClass("search", 600, 60).policy()).isEqualTo("\"search\";q=600;w=60");
  }
}
