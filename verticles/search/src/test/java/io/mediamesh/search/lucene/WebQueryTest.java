package io.mediamesh.search.lucene;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The web-search query language on its own: how a query is cut into parts, and what each language reads in it. */
class WebQueryTest {

  private static WebQuery.Unit word(String text) {
    return new WebQuery.Unit(text, false, false);
  }

  private static WebQuery parse(String q) {
    return WebQuery.parse(q, Schema.analyzer());
  }

  @Test
  void wordsPhrasesExclusionsAndAlternatives() {
    assertThat(WebQuery.units("night  market")).containsExactly(List.of(word("night"), word("market")));
    assertThat(WebQuery.units("-\"harbour lights\" boats")).containsExactly(
      List.of(new WebQuery.Unit("harbour lights", true, true), word("boats")));
    // "or" between two parts; leading or excluded it is a word, trailing it is dropped
    assertThat(WebQuery.units("lights OR market")).containsExactly(List.of(word("lights")), List.of(word("market")));
    assertThat(WebQuery.units("or market")).containsExactly(List.of(word("or"), word("market")));
    assertThat(WebQuery.units("market or")).containsExactly(List.of(word("market")));
    assertThat(WebQuery.units("-or market")).containsExactly(
      List.of(new WebQuery.Unit("or", false, true), word("market")));
  }

  @Test
  void anythingElseIsTextNeverASyntaxError() {
    // a lone minus is a word; a quote ends a word and opens a phrase running to the end when unclosed
    assertThat(WebQuery.units("a - b")).containsExactly(List.of(word("a"), word("-"), word("b")));
    assertThat(WebQuery.units("cafe\"au lait")).containsExactly(
      List.of(word("cafe"), new WebQuery.Unit("au lait", true, false)));
    assertThat(WebQuery.units("  ")).isEmpty();
    assertThat(parse("& | ! ( :*").query().toString()).isEmpty();
  }

  @Test
  void eachLanguageReadsItsOwnRequiredTermsNotTheExcludedOnes() {
    WebQuery q = parse("Expeditions -crossing الجامعة");
    assertThat(q.terms("en")).containsExactly("expedit", "الجامعة");
    assertThat(q.terms("ar")).containsExactly("expeditions", "جامع");
    assertThat(q.terms(null)).isEqualTo(q.terms("en"));
    // stop words ask nothing in English (as PostgreSQL's english configuration); Arabic has none
    WebQuery stop = parse("the");
    assertThat(stop.terms("en")).isEmpty();
    assertThat(stop.terms("ar")).containsExactly("the");
  }
}
