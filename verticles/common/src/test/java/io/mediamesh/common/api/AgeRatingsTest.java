package io.mediamesh.common.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AgeRatingsTest {

  @ParameterizedTest(name = "limit {0}, rated {1}: {2}")
  @CsvSource(nullValues = "-", value = {
    "-,  -,  true",   // no limit: everything, rated or not
    "-,  18, true",
    "18, -,  true",   // a limit of 18 is none
    "18, 18, true",
    "16, 16, true",
    "16, 18, false",
    "12, 6,  true",
    "6,  12, false",
    "0,  0,  true",
    "0,  6,  false",
    "16, -,  false",  // under a limit, unrated counts as 18
    "0,  -,  false"})
  void allows(Integer limit, Integer rating, boolean allowed) {
    assertThat(AgeRatings.allows(limit, rating)).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "{0} and {1}: {2}, tier {3}")
  @CsvSource(nullValues = "-", value = {
    "-,  -,  -,  a",
    "18, -,  -,  a",
    "12, -,  12, 12",
    "-,  6,  6,  6",
    "12, 6,  6,  6",
    "6,  16, 6,  6",
    "18, 16, 16, 16"})
  void stricterLimitAndItsTier(Integer a, Integer b, Integer stricter, String tier) {
    assertThat(AgeRatings.stricter(a, b)).isEqualTo(stricter);
    assertThat(AgeRatings.tier(AgeRatings.stricter(a, b))).isEqualTo(tier);
  }
}
