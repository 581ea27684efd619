package io.mediamesh.search.lucene;

import io.mediamesh.common.api.SearchApi;
import io.mediamesh.search.engine.SearchResult;
import io.mediamesh.search.engine.Suggestions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory index on its own: analysis, ranking, filters and facets, highlights, suggestions, typos. */
class LuceneIndexTest {

  @TempDir
  static Path directory;
  private final LuceneIndex index = new LuceneIndex(directory);
  private int minute;

  @AfterEach
  void close() throws IOException {
    index.close();
  }

  private IndexedDocument doc(String type, UUID program, String title, String description, String category,
                              String language, String... tags) {
    // each one newer than the last
    return new IndexedDocument(UUID.randomUUID(), type, program, title, description, List.of(tags), category,
      language, null, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * minute++));
  }

  private IndexedDocument program(String title, String description, String category, String language,
                                  String... tags) {
    return doc("PROGRAM", null, title, description, category, language, tags);
  }

  private List<IndexedDocument> add(IndexedDocument... docs) throws IOException {
    index.add(List.of(docs));
    index.publish();
    return List.of(docs);
  }

  private SearchResult search(String q) throws IOException {
    return search(new JsonObject().put("q", q));
  }

  private SearchResult search(JsonObject query) throws IOException {
    return index.search(SearchApi.Query.from(query));
  }

  private static List<String> ids(SearchResult result) {
    return result.items().stream().map(hit -> hit.id().toString()).toList();
  }

  private static List<String> titles(Suggestions suggestions) {
    return suggestions.items().stream().map(Suggestions.Suggestion::title).toList();
  }

  private static String id(IndexedDocument d) {
    return d.id().toString();
  }

  @Test
  void arabicMatchesWhateverTheAlefFormTaaMarbutaAndDiacritics() throws IOException {
    IndexedDocument news = add(program("الأخبار المسائية", "نشرة إخبارية يومية", "NEWS", "ar")).get(0);
    for (String q : List.of("الاخبار", "المسائيه", "الأَخْبَار", "إخبارية")) {
      assertThat(ids(search(q))).as(q).containsExactly(id(news));
    }
    assertThat(search("الرياضة").total()).isZero();
  }

  @Test
  void englishIsStemmedAndAccentsFold() throws IOException {
    IndexedDocument cafe = add(program("Café Expedition", "Crossing the ice", "MUSIC", "en", "arctic")).get(0);
    assertThat(ids(search("cafe expeditions"))).containsExactly(id(cafe));
    assertThat(ids(search("CROSSED arctic"))).containsExactly(id(cafe));
    // every word must match
    assertThat(search("cafe jungle").total()).isZero();
    // operators and quotes are only text
    assertThat(ids(search("\"cafe & | ! ( :*"))).containsExactly(id(cafe));
  }

  @Test
  void queriesReadAsWebSearchPhrasesExclusionsAndAlternatives() throws IOException {
    List<IndexedDocument> docs = add(
      program("Harbour boats at night", "x", "NEWS", "en"),
      program("Harbour lights", "the night boats", "NEWS", "en"),
      program("Night market", "x", "NEWS", "en"));
    String boats = id(docs.get(0));
    String lights = id(docs.get(1));
    String market = id(docs.get(2));
    assertThat(ids(search("harbour -lights"))).containsExactly(boats);
    assertThat(ids(search("\"harbour boats\""))).containsExactly(boats); // the other has both words, apart
    assertThat(ids(search("\"boats at night\""))).containsExactly(boats); // a stop word inside
    assertThat(ids(search("lights or market"))).containsExactlyInAnyOrder(lights, market);
    assertThat(ids(search("night -\"harbour lights\""))).containsExactlyInAnyOrder(boats, market);
    assertThat(ids(search("-harbour"))).containsExactly(market);
    assertThat(WebQuery.units("a -b \"c d\" or -\"e\" \"open")).containsExactly(
      List.of(new WebQuery.Unit("a", false, false), new WebQuery.Unit("b", false, true),
        new WebQuery.Unit("c d", true, false)),
      List.of(new WebQuery.Unit("e", true, true), new WebQuery.Unit("open", true, false)));
  }

  @Test
  void aTitleMatchOutranksADescriptionNamingTheWordTwice() throws IOException {
    List<IndexedDocument> docs = add(
      program("plain evening", "a harbour walk past the harbour", "NEWS", "en"),
      program("harbour headline", "x", "NEWS", "en"),
      program("harbour headline harbour", "x", "NEWS", "en"));
    assertThat(ids(search("harbour"))).containsExactly(id(docs.get(2)), id(docs.get(1)), id(docs.get(0)));
  }

  @Test
  void equalScoresGoNewestFirstAndPagesNeitherRepeatNorSkip() throws IOException {
    List<IndexedDocument> docs = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      docs.add(program("daily bulletin", "x", "NEWS", "en"));
    }
    index.add(docs);
    index.publish();
    List<String> newestFirst = new ArrayList<>();
    for (int i = docs.size() - 1; i >= 0; i--) {
      newestFirst.add(id(docs.get(i)));
    }
    assertThat(ids(search(new JsonObject().put("q", "bulletin").put("size", 100)))).isEqualTo(newestFirst);
    List<String> paged = new ArrayList<>();
    for (int page = 0; page < 3; page++) {
      SearchResult result = search(new JsonObject().put("q", "bulletin").put("size", 3).put("page", page));
      assertThat(result.total()).isEqualTo(7);
      paged.addAll(ids(result));
    }
    assertThat(paged).isEqualTo(newestFirst);
  }

  @Test
  void fullTiesGoInIdOrderWhateverTheOrderOfIndexing() throws IOException {
    Instant same = Instant.parse("2026-02-01T00:00:00Z");
    List<IndexedDocument> docs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      docs.add(new IndexedDocument(UUID.randomUUID(), "PROGRAM", null, "evening bulletin", "x", List.of(), "NEWS", "en",
        null, same));
    }
    index.add(docs);
    index.publish();
    List<String> byId = docs.stream().map(LuceneIndexTest::id).sorted().toList();
    assertThat(ids(search(new JsonObject().put("q", "bulletin").put("size", 100)))).isEqualTo(byId);
    // the best two of six, when only two are kept while collecting
    assertThat(ids(search(new JsonObject().put("q", "bulletin").put("size", 2)))).isEqualTo(byId.subList(0, 2));
  }

  @Test
  void anEpisodeReDerivedUnderAnotherProgramIsNotKeptTwice() throws IOException {
    IndexedDocument first = program("Coast stories", "x", "NEWS", "en");
    IndexedDocument second = program("Coast weather", "x", "NEWS", "en");
    IndexedDocument episode = doc("EPISODE", first.id(), "Coast pilot", "x", "NEWS", "en");
    add(first, second, episode);
    IndexedDocument moved = new IndexedDocument(episode.id(), "EPISODE", second.id(), "Coast pilot", "x", List.of(),
      "NEWS", "en", null, episode.publishedAt());
    // only the new program's id was logged: the episode still sits here under the old one
    index.replace(List.of(second.id()), List.of(second, moved));
    index.publish();
    assertThat(search("pilot").total()).isEqualTo(1);
    assertThat(index.size()).isEqualTo(3);
  }

  @Test
  void facetsCountOverTheQueryAndTheOtherFilters() throws IOException {
    IndexedDocument one = program("quiz one", "x", "NEWS", "en");
    IndexedDocument two = program("quiz two", "x", "NEWS", "ar");
    IndexedDocument three = program("quiz three", "x", "SPORTS", "en");
    IndexedDocument episode = doc("EPISODE", three.id(), "quiz final", "x", "SPORTS", "en");
    add(one, two, three, episode, program("other", "x", "NEWS", "en"));
    SearchResult all = search("quiz");
    assertThat(all.total()).isEqualTo(4);
    assertThat(all.facets().category())
      .containsExactlyInAnyOrderEntriesOf(Map.of("NEWS", 2, "SPORTS", 2));
    assertThat(all.facets().type())
      .containsExactlyInAnyOrderEntriesOf(Map.of("PROGRAM", 3, "EPISODE", 1));
    SearchResult news = search(new JsonObject().put("q", "quiz").put("category", "NEWS"));
    assertThat(ids(news)).containsExactlyInAnyOrder(id(one), id(two));
    assertThat(news.facets().category())
      .containsExactlyInAnyOrderEntriesOf(Map.of("NEWS", 2, "SPORTS", 2));
    assertThat(news.facets().language())
      .containsExactlyInAnyOrderEntriesOf(Map.of("en", 1, "ar", 1));
    SearchResult episodes = search(new JsonObject().put("q", "quiz").put("type", "EPISODE")
      .put("programId", three.id().toString()));
    assertThat(ids(episodes)).containsExactly(id(episode));
    assertThat(search(new JsonObject().put("q", "quiz").put("category", "NONE")).total()).isZero();
  }

  @Test
  void highlightsMarkMatchesAndEscapeTheRest() throws IOException {
    IndexedDocument titled = program("<b>Harbour</b> & \"lights\"", "x", "NEWS", "en");
    IndexedDocument described = program("Evening show", "word ".repeat(40) + "the harbours at dusk " + "tide ".repeat(40),
      "NEWS", "en");
    add(titled, described);
    SearchResult result = search("harbour");
    SearchResult.Hit first = result.items().get(0);
    SearchResult.Hit second = result.items().get(1);
    assertThat(first.id().toString()).isEqualTo(id(titled));
    assertThat(first.highlight()).isEqualTo("&lt;b&gt;<em>Harbour</em>&lt;/b&gt; &amp; &quot;lights&quot;");
    String fragment = second.highlight();
    assertThat(fragment).contains("the <em>harbours</em> at dusk").startsWith("word").endsWith("tide");
    // thirty words of the description (stop words between them come along), not all of it
    assertThat(fragment.split(" ")).hasSizeBetween(30, 34);
  }

  @Test
  void suggestionsCompleteTheLastWordProgramsFirst() throws IOException {
    IndexedDocument program = program("Mountain Diaries", "x", "TV_SHOW", "en");
    IndexedDocument episode = doc("EPISODE", program.id(), "Mountain Dawn", "x", "TV_SHOW", "en");
    add(program, episode, program("Mountain Rescue", "x", "TV_SHOW", "en"));
    Suggestions suggested = index.suggest("mountain d", 10, null);
    assertThat(titles(suggested)).containsExactly("Mountain Diaries", "Mountain Dawn");
    assertThat(index.suggest("mount", 2, null).items()).hasSize(2);
    assertThat(index.suggest("valley", 10, null).items()).isEmpty();
  }

  private IndexedDocument rated(String title, Integer rating) {
    IndexedDocument d = program(title, "x", "FILM", "en");
    return new IndexedDocument(d.id(), d.type(), null, d.title(), d.description(), d.tags(), d.category(),
      d.language(), null, d.publishedAt(), "MOVIE", List.of("drama"), rating);
  }

  @Test
  void anAgeLimitHidesWhatIsRatedAboveItAndWhatIsUnratedFromHitsFacetsAndSuggestions() throws IOException {
    IndexedDocument six = rated("Harbour cartoons", 6);
    IndexedDocument twelve = rated("Harbour mysteries", 12);
    IndexedDocument adult = rated("Harbour nights", 18);
    IndexedDocument unrated = rated("Harbour drafts", null);
    add(six, twelve, adult, unrated);

    assertThat(ids(search("harbour"))).hasSize(4);
    SearchResult limited = search(new JsonObject().put("q", "harbour").put("maxAgeRating", 12));
    assertThat(ids(limited)).containsExactlyInAnyOrder(id(six), id(twelve));
    assertThat(limited.total()).isEqualTo(2);
    assertThat(limited.facets().category()).containsEntry("FILM", 2);
    assertThat(ids(search(new JsonObject().put("q", "harbour").put("maxAgeRating", 6)))).containsExactly(id(six));
    // a limit of 18 is none: the unrated one too
    assertThat(ids(search(new JsonObject().put("q", "harbour").put("maxAgeRating", 18)))).hasSize(4);

    assertThat(titles(index.suggest("harbour", 10, null))).hasSize(4);
    assertThat(titles(index.suggest("harbour", 10, 6))).containsExactly("Harbour cartoons");
  }

  private IndexedDocument catalog(String title, String kind, String... genres) {
    IndexedDocument d = program(title, "x", "FILM", "en");
    return new IndexedDocument(d.id(), d.type(), null, d.title(), d.description(), d.tags(), d.category(),
      d.language(), null, d.publishedAt(), kind, List.of(genres), 12);
  }

  @Test
  void kindAndGenreFilterAndAreCountedOverTheOtherFilters() throws IOException {
    IndexedDocument dramaMovie = catalog("Orchard drama film", "MOVIE", "drama");
    IndexedDocument comedyMovie = catalog("Orchard comedy film", "MOVIE", "comedy", "family");
    IndexedDocument familySeries = catalog("Orchard family series", "SERIES", "family");
    add(dramaMovie, comedyMovie, familySeries);

    SearchResult all = search("orchard");
    assertThat(all.facets().kind()).containsExactly(Map.entry("MOVIE", 2), Map.entry("SERIES", 1));
    assertThat(all.facets().genre()).containsExactly(Map.entry("family", 2), Map.entry("comedy", 1),
      Map.entry("drama", 1));

    SearchResult movies = search(new JsonObject().put("q", "orchard").put("kind", "MOVIE"));
    assertThat(ids(movies)).containsExactlyInAnyOrder(id(dramaMovie), id(comedyMovie));
    // the kind facet ignores the kind filter; the genre facet counts only the movies
    assertThat(movies.facets().kind()).containsEntry("SERIES", 1);
    assertThat(movies.facets().genre()).containsOnlyKeys("drama", "comedy", "family");
    assertThat(movies.facets().genre()).containsEntry("family", 1);

    SearchResult family = search(new JsonObject().put("q", "orchard").put("genre", "Family"));
    assertThat(ids(family)).containsExactlyInAnyOrder(id(comedyMovie), id(familySeries));
    assertThat(family.facets().genre()).containsEntry("drama", 1); // its own filter off
    assertThat(family.facets().kind()).containsExactly(Map.entry("MOVIE", 1), Map.entry("SERIES", 1));
    assertThat(ids(search(new JsonObject().put("q", "orchard").put("genre", "family").put("kind", "SERIES"))))
      .containsExactly(id(familySeries));
    assertThat(search(new JsonObject().put("q", "orchard").put("genre", "western")).total()).isZero();
  }

  @Test
  void unknownWordsAreCorrectedToTheNearestKnownOne() throws IOException {
    add(program("Harbour tales", "x", "NEWS", "en", "lighthouse"), program("Market days", "x", "NEWS", "en"));
    assertThat(index.correct("harbuor tales")).isEqualTo("harbour tales"); // a transposition is one edit
    assertThat(index.correct("markt")).isEqualTo("market");
    assertThat(index.correct("lighthuose")).isEqualTo("lighthouse");
    assertThat(index.correct("ligthhuose")).isEqualTo("lighthouse"); // two edits past six letters
    assertThat(index.correct("harbour")).isNull();
    assertThat(index.correct("zzzzzz")).isNull();
  }

  @Test
  void replacingAProgramReplacesItsEpisodesToo() throws IOException {
    IndexedDocument program = program("Island stories", "x", "NEWS", "en");
    IndexedDocument episode = doc("EPISODE", program.id(), "Island pilot", "x", "NEWS", "en");
    add(program, episode, program("Island weather", "x", "NEWS", "en"));
    assertThat(search("island").total()).isEqualTo(3);
    // the program was unpublished: its documents are gone from the store, so none come back
    index.replace(List.of(program.id()), List.of());
    index.publish();
    assertThat(search("island").total()).isEqualTo(1);
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void aHitShowsItsDocumentsFieldsAsIndexed() throws IOException {
    IndexedDocument program = program("Lighthouse keepers", "x", "NEWS", "en");
    // a time with microseconds, as PostgreSQL keeps them: the hit's time is read back from the ranking signal
    Instant published = Instant.parse("2026-03-04T05:06:07.123456Z");
    IndexedDocument episode = new IndexedDocument(UUID.randomUUID(), "EPISODE", program.id(), "Lighthouse pilot",
      null, List.of("coast"), "DOCUMENTARY", "en-GB", "thumbs/pilot.jpg", published);
    IndexedDocument unpublished = new IndexedDocument(UUID.randomUUID(), "PROGRAM", null, "Lighthouse drafts", "x",
      List.of(), null, null, null, null);
    add(program, episode, unpublished);
    SearchResult.Hit hit = search("pilot").items().get(0);
    assertThat(hit).isEqualTo(new SearchResult.Hit(episode.id(), "EPISODE", "Lighthouse pilot", null,
      "Lighthouse <em>pilot</em>", "DOCUMENTARY", "en-GB", program.id(), "thumbs/pilot.jpg", published,
      hit.score()));
    assertThat(hit.score()).isPositive().isEqualTo(Math.round(hit.score() * 1e6) / 1e6);
    SearchResult.Hit draft = search("drafts").items().get(0);
    assertThat(draft.publishedAt()).isNull();
    assertThat(draft.programId()).isNull();
    assertThat(draft.category()).isNull();
  }
}
