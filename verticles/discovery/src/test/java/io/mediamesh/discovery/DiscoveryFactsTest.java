package io.mediamesh.discovery;

import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.DiscoveryFacts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One vocabulary for what discovery's answers depend on, and the invalidation message built from it. */
class DiscoveryFactsTest {

  @Test
  void theServiceAndTheGatewayNameAProgramAlike() {
    UUID id = UUID.randomUUID();
    assertThat(DiscoveryFacts.program(id)).isEqualTo(DiscoveryFacts.program(id.toString()))
      .isEqualTo("program:" + id);
    assertThat(DiscoveryFacts.episode(id)).isEqualTo("episode:" + id);
    assertThat(DiscoveryFacts.programEpisodes(id)).isEqualTo(DiscoveryFacts.programEpisodes(id.toString()));
  }

  @Test
  void aKeyTellsWhatItIsAbout() {
    UUID id = UUID.randomUUID();
    assertThat(DiscoveryFacts.subject(DiscoveryFacts.program(id))).isEqualTo(id.toString());
    assertThat(DiscoveryFacts.subject(DiscoveryFacts.episode(id))).isEqualTo(id.toString());
    assertThat(DiscoveryFacts.subject(DiscoveryFacts.programEpisodes(id) + "{\"page\":1}")).isEqualTo(id.toString());
    String list = DiscoveryFacts.list("programs", "{\"size\":7}");
    assertThat(DiscoveryFacts.subject(list)).isNull();
    assertThat(DiscoveryFacts.isList(list)).isTrue();
    assertThat(DiscoveryFacts.isList(DiscoveryFacts.lists("NEWS", null))).isTrue();
    assertThat(DiscoveryFacts.isList(DiscoveryFacts.program(id))).isFalse();
    assertThat(DiscoveryFacts.subject(DiscoveryFacts.CATEGORIES)).isNull();
    assertThat(DiscoveryFacts.subject("r:trending:{}")).isNull();
  }

  @Test
  void listsAreNamedByCategoryAndLanguageWithAStarForAny() {
    assertThat(DiscoveryFacts.lists("NEWS", "en")).isEqualTo("lists:c=NEWS:l=en");
    assertThat(DiscoveryFacts.lists(null, null)).isEqualTo("lists:c=*:l=*");
    assertThat(DiscoveryFacts.lists("NEWS", null)).isNotEqualTo(DiscoveryFacts.lists(null, "NEWS"));
  }

  @Test
  void anInvalidationTravelsAsItsJson() {
    UUID program = UUID.randomUUID();
    UUID episode = UUID.randomUUID();
    DiscoveryApi.Invalidation change = new DiscoveryApi.Invalidation(List.of(program), List.of(episode), true,
      List.of(episode));
    JsonObject json = change.toJson();
    assertThat(json).isEqualTo(new JsonObject().put("programs", new JsonArray().add(program.toString()))
      .put("episodes", new JsonArray().add(episode.toString())).put("lists", true)
      .put("gone", new JsonArray().add(episode.toString())));
    assertThat(DiscoveryApi.Invalidation.from(json)).isEqualTo(change);
    // parts left out: nothing named, and lists assumed changed (the safe side)
    assertThat(DiscoveryApi.Invalidation.from(new JsonObject()))
      .isEqualTo(new DiscoveryApi.Invalidation(List.of(), List.of(), true, List.of()));
  }
}
