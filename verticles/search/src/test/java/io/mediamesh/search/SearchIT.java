package io.mediamesh.search;

import io.mediamesh.cms.CmsModule;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.api.SearchApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.db.Databases;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.metadata.MetadataModule;
import io.mediamesh.search.engine.SearchEngine;
import io.mediamesh.search.engine.SearchResult;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.ServiceHarness;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search with the real CMS and metadata services beside it: content goes in through their bus APIs, reaches the
 * index only through Kafka, and is found through the search API. Real PostgreSQL and Kafka.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchIT {

  private static final Random RANDOM = new Random();
  private TestInfra infra;
  private ServiceHarness services;
  private Platform platform;
  private Caller editor;
  private Caller admin;

  /** The engine answering queries (the default, the in-memory copy; a subclass runs every test with PostgreSQL). */
  protected String engine() {
    return "lucene";
  }

  @BeforeAll
  void start(TestInfra infra) {
    this.infra = infra;
    // a consumer group of each class's own: the classes of this JVM share the topics, and a group another class
    // left behind would first have to be rebalanced
    PlatformConfig config = infra.platformConfig(new JsonObject().put("services", new JsonObject()
      .put("search", new JsonObject().put("engine", engine()).put("indexConsumer", "index-" + engine()))));
    services = ServiceHarness.start(config, List.of(CmsModule::new, MetadataModule::new, SearchModule::new),
      Clock.systemUTC());
    platform = services.platform();
    editor = services.caller(Role.EDITOR);
    admin = services.caller(Role.ADMIN);
  }

  @AfterAll
  void stop() {
    services.close();
  }

  /** A made-up word, so each test finds only its own documents. */
  private static String word() {
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      w.append((char) ('a' + RANDOM.nextInt(26)));
    }
    return w.toString();
  }

  private JsonObject search(JsonObject query) {
    return services.call(SearchApi.QUERY, query, Caller.anonymous());
  }

  private JsonObject search(String q) {
    return search(new JsonObject().put("q", q));
  }

  private JsonObject program(String title, String description, String category, String language, String... tags) {
    JsonObject p = services.call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", title)
      .put("description", description), editor);
    services.call(MetadataApi.CREATE, new JsonObject().put("contentId", p.getString("id"))
      .put("contentType", "PROGRAM").put("title", title).put("category", category).put("language", language)
      .put("tags", new JsonArray(List.of((Object[]) tags))), editor);
    return p;
  }

  private JsonObject publish(JsonObject program) {
    return services.call(CmsApi.PROGRAM_PUBLISH, new JsonObject().put("id", program.getString("id")), editor);
  }

  private List<String> ids(JsonObject result) {
    List<String> ids = new ArrayList<>();
    result.getJsonArray("items").forEach(i -> ids.add(((JsonObject) i).getString("id")));
    return ids;
  }

  private static List<String> ids(SearchResult result) {
    return result.items().stream().map(hit -> hit.id().toString()).toList();
  }

  private void awaitHits(String q, int count) {
    Await.until(count + " hits for " + q, Duration.ofSeconds(10), () -> search(q).getLong("total") == count);
  }

  @Test
  void aPublishIsSearchableWithHighlightsAndOnlyOnce() {
    String w = word();
    JsonObject p = program("The " + w + " Expedition", "Crossing the ice with " + w, "DOCUMENTARY", "en", "arctic");
    assertThat(search(w).getLong("total")).isZero();
    long published = System.nanoTime();
    publish(p);
    // with its metadata: that comes on another topic, applied by another consumer, maybe after the publish
    JsonObject found = Await.value("the published program in search", Duration.ofSeconds(5), () -> search(w),
      r -> r.getLong("total") == 1 && r.getJsonArray("items").getJsonObject(0).getString("category") != null);
    long lagMs = (System.nanoTime() - published) / 1_000_000;
    System.out.println("publish -> searchable lag: " + lagMs + " ms");
    JsonObject hit = found.getJsonArray("items").getJsonObject(0);
    assertThat(hit.getString("id")).isEqualTo(p.getString("id"));
    assertThat(hit.getString("type")).isEqualTo("PROGRAM");
    assertThat(hit.getString("category")).isEqualTo("DOCUMENTARY");
    assertThat(hit.getString("language")).isEqualTo("en");
    assertThat(hit.getString("highlight")).contains("<em>" + w + "</em>");
    // stemming: the plural finds the singular
    assertThat(ids(search(w + " expeditions"))).containsExactly(p.getString("id"));
  }

  @Test
  void drafts_unpublishedAndEpisodesOfUnpublishedProgramsAreNotFound() {
    String w = word();
    JsonObject p = program(w + " Nights", "Stories", "PODCAST", "en");
    JsonObject e = services.call(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", p.getString("id"))
      .put("seasonNumber", 1).put("episodeNumber", 1).put("title", w + " pilot"), editor);
    services.call(CmsApi.EPISODE_PUBLISH, new JsonObject().put("id", e.getString("id")), editor);
    publish(p);
    awaitHits(w, 2);
    services.call(CmsApi.PROGRAM_UNPUBLISH, new JsonObject().put("id", p.getString("id")), editor);
    // the program's unpublish hides its episode too, though the episode itself is still published
    awaitHits(w, 0);
    publish(p);
    awaitHits(w, 2);
    services.call(CmsApi.EPISODE_UNPUBLISH, new JsonObject().put("id", e.getString("id")), editor);
    awaitHits(w, 1);
  }

  @Test
  void arabicIsFoundWhateverTheAlefFormAndDiacritics() {
    String w = word();
    JsonObject p = program("الأخبار المسائية " + w, "نشرة إخبارية يومية", "NEWS", "ar");
    publish(p);
    awaitHits(w, 1);
    // bare alef for hamza-alef, and haa for taa marbuta
    assertThat(ids(search("الاخبار " + w))).containsExactly(p.getString("id"));
    assertThat(ids(search("المسائيه " + w))).containsExactly(p.getString("id"));
    // with diacritics (fatha, kasra) typed in the query
    assertThat(ids(search("الأَخْبَار " + w))).containsExactly(p.getString("id"));
  }

  @Test
  void anArabicWordIsFoundWithAndWithoutItsArticleTaaMarbutaAsHaaAndPrepositionsAttached() {
    String w = word();
    JsonObject p = program("الجامعة المفتوحة " + w, "محاضرات في المدينه", "EDUCATIONAL", "ar");
    publish(p);
    // with its metadata: the language (Arabic stemming) comes on another topic, maybe after the publish
    Await.until("the program indexed as Arabic", Duration.ofSeconds(10), () -> {
      JsonObject r = search(w);
      return r.getLong("total") == 1 && "ar".equals(r.getJsonArray("items").getJsonObject(0).getString("language"));
    });
    for (String form : List.of("جامعة", "جامعه", "الجامعه", "بالجامعة", "للجامعة", "والجامعة", "بجامعة", "وجامعة")) {
      assertThat(ids(search(form + " " + w))).as(form).containsExactly(p.getString("id"));
    }
    // the description had haa for taa marbuta: found by the word as it is usually written, with its article
    assertThat(ids(search("بالمدينة " + w))).containsExactly(p.getString("id"));
  }

  @Test
  void accentsFoldAndAOneLetterTypoStillFinds() {
    String w = word();
    JsonObject p = program("Café " + w + " sessions", "Live music", "MUSIC", "en");
    publish(p);
    awaitHits(w, 1);
    assertThat(ids(search("cafe " + w))).containsExactly(p.getString("id"));
    String typo = w.substring(0, 4) + (w.charAt(4) == 'x' ? 'y' : 'x') + w.substring(5);
    JsonObject corrected = search(typo);
    assertThat(ids(corrected)).containsExactly(p.getString("id"));
    assertThat(corrected.getString("correctedQuery")).isEqualTo(w);
  }

  @Test
  void aShortWordIsFoundWithALetterMissingAddedOrReplaced() {
    String w = word().substring(0, 6);
    JsonObject p = program("Harbour " + w + " tales", "Boats", "TV_SHOW", "en");
    publish(p);
    awaitHits(w, 1);
    char other = w.charAt(2) == 'q' ? 'z' : 'q';
    for (String typo : List.of(w.substring(0, 2) + w.substring(3),          // a letter left out
                               w.substring(0, 2) + other + w.substring(2),  // a letter typed in
                               w.substring(0, 2) + other + w.substring(3))) {  // a letter replaced
      JsonObject corrected = search(typo);
      assertThat(corrected.getString("correctedQuery")).as(typo).isEqualTo(w);
      assertThat(ids(corrected)).as(typo).containsExactly(p.getString("id"));
    }
  }

  @Test
  void suggestionsCompleteThePrefixAsYouType() {
    String w = word();
    JsonObject p = program("Mountain " + w + " diaries", "Walks", "TV_SHOW", "en");
    publish(p);
    awaitHits(w, 1);
    JsonObject suggested = services.call(SearchApi.SUGGEST, new JsonObject().put("q", "mountain " + w.substring(0, 5)),
      Caller.anonymous());
    assertThat(suggested.getJsonArray("items")).hasSize(1);
    assertThat(suggested.getJsonArray("items").getJsonObject(0).getString("title")).isEqualTo(p.getString("title"));
  }

  @Test
  void facetsCountOverTheQueryAndTheOtherFilters() {
    String w = word();
    publish(program(w + " one", "x", "NEWS", "en"));
    publish(program(w + " two", "x", "NEWS", "ar"));
    publish(program(w + " three", "x", "SPORTS", "en"));
    // content and metadata come on different topics (different consumers): wait until all three carry both
    JsonObject all = Await.value("the metadata of all three is indexed", Duration.ofSeconds(10), () -> search(w),
      r -> r.getLong("total") == 3 && facetTotal(r, "category") == 3 && facetTotal(r, "language") == 3);
    assertThat(all.getJsonObject("facets").getJsonObject("category").getMap())
      .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("NEWS", 2, "SPORTS", 1));
    assertThat(all.getJsonObject("facets").getJsonObject("language").getMap())
      .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("en", 2, "ar", 1));
    JsonObject news = search(new JsonObject().put("q", w).put("category", "NEWS"));
    assertThat(news.getLong("total")).isEqualTo(2);
    // the category facet ignores the category filter; the language facet applies it
    assertThat(news.getJsonObject("facets").getJsonObject("category").getMap())
      .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("NEWS", 2, "SPORTS", 1));
    assertThat(news.getJsonObject("facets").getJsonObject("language").getMap())
      .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("en", 1, "ar", 1));
    JsonObject paged = search(new JsonObject().put("q", w).put("size", 2).put("page", 1));
    assertThat(paged.getJsonArray("items")).hasSize(1);
    assertThat(paged.getLong("total")).isEqualTo(3);
  }

  @Test
  void kindGenreAndAgeRatingAreIndexedFromTheCatalogAndFilterHitsAndFacets() {
    String w = word();
    JsonObject movie = services.call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", w + " night film")
      .put("kind", "MOVIE"), editor);
    services.call(MetadataApi.CREATE, new JsonObject().put("contentId", movie.getString("id"))
      .put("contentType", "PROGRAM").put("title", w + " night film").put("category", "MOVIE").put("language", "en")
      .put("genres", new JsonArray().add("Drama"))
      .put("ageRating", 16), editor);
    JsonObject series = services.call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", w + " farm tales"),
      editor);
    services.call(MetadataApi.CREATE, new JsonObject().put("contentId", series.getString("id"))
      .put("contentType", "PROGRAM").put("title", w + " farm tales").put("category", "TV_SHOW").put("language", "en")
      .put("genres", new JsonArray().add("family"))
      .put("ageRating", 6), editor);
    // an episode without a rating of its own has its program's
    JsonObject episode = services.call(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", series.getString("id"))
      .put("seasonNumber", 1).put("episodeNumber", 1).put("title", w + " lambing"), editor);
    services.call(CmsApi.EPISODE_PUBLISH, new JsonObject().put("id", episode.getString("id")), editor);
    publish(movie);
    publish(series);
    JsonObject all = Await.value("the catalog fields of all three are indexed", Duration.ofSeconds(10),
      () -> search(w), r -> r.getLong("total") == 3 && facetTotal(r, "kind") == 3 && facetTotal(r, "genre") == 3);
    assertThat(all.getJsonObject("facets").getJsonObject("kind").getMap())
      .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("MOVIE", 1, "SERIES", 2));
    assertThat(all.getJsonObject("facets").getJsonObject("genre").getMap())
      .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("drama", 1, "family", 2));

    JsonObject movies = search(new JsonObject().put("q", w).put("kind", "MOVIE"));
    assertThat(ids(movies)).containsExactly(movie.getString("id"));
    assertThat(movies.getJsonObject("facets").getJsonObject("kind").getMap()).containsEntry("SERIES", 2);
    assertThat(ids(search(new JsonObject().put("q", w).put("genre", "FAMILY"))))
      .containsExactlyInAnyOrder(series.getString("id"), episode.getString("id"));
    // under a limit of 12: the series and its episode (rated 6 through the program), not the 16-rated film
    JsonObject kids = search(new JsonObject().put("q", w).put("maxAgeRating", 12));
    assertThat(ids(kids)).containsExactlyInAnyOrder(series.getString("id"), episode.getString("id"));
    assertThat(kids.getJsonObject("facets").getJsonObject("kind").getMap())
      .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("SERIES", 2));
    JsonObject suggested = services.call(SearchApi.SUGGEST, new JsonObject().put("q", w).put("maxAgeRating", 12)
      .put("limit", 10), Caller.anonymous());
    assertThat(suggested.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id")))
      .containsExactlyInAnyOrder(series.getString("id"), episode.getString("id"));
    JsonObject everyone = services.call(SearchApi.SUGGEST, new JsonObject().put("q", w).put("limit", 10),
      Caller.anonymous());
    assertThat(everyone.getJsonArray("items")).hasSize(3);
  }

  private static long facetTotal(JsonObject result, String facet) {
    return result.getJsonObject("facets").getJsonObject(facet).getMap().values().stream()
      .mapToLong(n -> ((Number) n).longValue()).sum();
  }

  @Test
  void anUpdateReplacesTheOldTextOnceItsEventIsApplied() {
    String w = word();
    String v = word();
    JsonObject p = publish(program(w + " weekly", "x", "NEWS", "en"));
    awaitHits(w, 1);
    services.call(CmsApi.PROGRAM_UPDATE, new JsonObject().put("id", p.getString("id"))
      .put("version", p.getInteger("version"))
      .put("title", v + " weekly"), editor);
    awaitHits(v, 1);
    assertThat(search(w).getLong("total")).isZero();
  }

  @Test
  void badQueriesAreRefusedNamingTheField() {
    ServiceException empty = services.refused(SearchApi.QUERY, new JsonObject().put("q", " "), Caller.anonymous());
    assertThat(empty.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(empty.details().getJsonObject("fields").containsKey("q")).isTrue();
    ServiceException tooLong = services.refused(SearchApi.QUERY,
      new JsonObject().put("q", "a".repeat(201)).put("type", "SONG"), Caller.anonymous());
    assertThat(tooLong.details().getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("q", "type");
    // operators and quotes are text, never syntax errors
    assertThat(search("\"unclosed & | ! ( :*").getLong("total")).isNotNegative();
  }

  @Test
  void reindexIsForAdminsAndRebuildsWhileSearchAnswers() {
    String w = word();
    publish(program(w + " archive", "x", "NEWS", "en"));
    awaitHits(w, 1);
    ServiceException forbidden = services.refused(SearchApi.REINDEX, new JsonObject(), editor);
    assertThat(forbidden.code()).isEqualTo(ErrorCode.FORBIDDEN);
    JsonObject started = services.call(SearchApi.REINDEX, new JsonObject(), admin);
    assertThat(started.getString("state")).isEqualTo("RUNNING");
    assertThat(search(w).getLong("total")).isEqualTo(1);
    JsonObject status = Await.value("reindex finished", Duration.ofSeconds(30),
      () -> services.<JsonObject>call(SearchApi.STATUS, new JsonObject(), editor),
      s -> !"RUNNING".equals(s.getJsonObject("reindex").getString("state")));
    assertThat(status.getJsonObject("reindex").getString("state")).isEqualTo("COMPLETED");
    assertThat(status.getJsonObject("reindex").getLong("documents")).isEqualTo(status.getLong("documents"));
    assertThat(status.getLong("documents")).isPositive();
    assertThat(status.getString("lastEventAt")).isNotNull();
    assertThat(status.getString("engine")).isEqualTo(engine());
    if (engine().equals("lucene")) {
      JsonObject copy = status.getJsonObject("copy");
      assertThat(copy.getBoolean("loaded")).isTrue();
      assertThat(copy.getLong("generation")).isPositive();
      assertThat(copy.getLong("documents")).isPositive();
    } else {
      assertThat(status.getValue("copy")).isNull();
    }
    assertThat(status.getLong("consumerLag")).isNotNull();
    assertThat(search(w).getLong("total")).isEqualTo(1);
  }

  @Test
  void replayingTheTopicsFromTheStartBuildsTheSameIndex() {
    String w = word();
    JsonObject p = publish(program(w + " replay", "x", "NEWS", "en"));
    services.call(CmsApi.PROGRAM_UPDATE, new JsonObject().put("id", p.getString("id"))
      .put("version", p.getInteger("version"))
      .put("title", w + " replayed"), editor);
    JsonObject gone = publish(program(w + " gone", "x", "NEWS", "en"));
    services.call(CmsApi.PROGRAM_UNPUBLISH, new JsonObject().put("id", gone.getString("id")), editor);
    Await.until("the live index settles", Duration.ofSeconds(10),
      () -> ids(search(w + " replayed")).equals(List.of(p.getString("id"))) && search(w + " gone").getLong("total") == 0);
    String replayDb = infra.database("search_replay");
    PlatformConfig replayConfig = infra.platformConfig(new JsonObject().put("services", new JsonObject()
      .put("search", new JsonObject().put("database", replayDb).put("indexConsumer", "replay-" + UUID.randomUUID()))));
    Platform replay = Await.result(Platform.start(replayConfig, List.of(SearchModule::new)));
    Pool live = Databases.pool(platform.vertx(), replayConfig.pg(), infra.platformConfig().service("search").database());
    Pool rebuilt = Databases.pool(platform.vertx(), replayConfig.pg(), replayDb);
    Pool cms = Databases.pool(platform.vertx(), replayConfig.pg(), infra.platformConfig().service("cms").database());
    try {
      // the topics are shared with the other test classes of this JVM, and a reindex (another test) drops the
      // content of theirs that this class's CMS does not know: both sides are compared on this class's content
      String ours = rows(cms, "SELECT id FROM programs UNION ALL SELECT id FROM episodes").stream()
        .map(r -> "'" + new JsonObject(r).getString("id") + "'").reduce((a, b) -> a + "," + b).orElseThrow();
      String snapshot = "SELECT id, type, program_id, title, description, tags, category, language, thumbnail_key, "
        + "published_at, search::text, suggest::text FROM documents WHERE id IN (" + ours + ") ORDER BY id";
      List<String> expected = rows(live, snapshot);
      assertThat(expected).isNotEmpty();
      Await.until("the replayed index matches the live one", Duration.ofSeconds(20),
        () -> rows(rebuilt, snapshot).equals(rows(live, snapshot)));
    } finally {
      live.close();
      rebuilt.close();
      cms.close();
      Await.result(replay.close());
    }
  }

  @Test
  void postgresPastTheRankWindowTitleMatchesComeFirstAndPagesNeitherRepeatNorSkip() {
    String w = word();
    // dense in its description, it outranks both title matches when PostgreSQL ranks every match (cover density)
    JsonObject inDescription = publish(program("plain evening", (w + " ").repeat(8), "NEWS", "en"));
    JsonObject inTitle = publish(program(w + " headline", "x", "NEWS", "en"));
    JsonObject inTitleToo = publish(program(w + " headline " + w, "x", "NEWS", "en"));
    awaitHits(w, 3);
    Pool pool = Databases.pool(platform.vertx(), infra.platformConfig().pg(),
      infra.platformConfig().service("search").database());
    try {
      SearchEngine wide = new PostgresSearchEngine(pool, 500);
      assertThat(ids(Await.result(wide.search(SearchApi.Query.from(new JsonObject().put("q", w))))))
        .containsExactly(inDescription.getString("id"), inTitleToo.getString("id"), inTitle.getString("id"));
      // the same index, searched by an engine whose window holds two of the three matches
      SearchEngine narrow = new PostgresSearchEngine(pool, 2);
      SearchResult all = Await.result(narrow.search(SearchApi.Query.from(new JsonObject().put("q", w))));
      assertThat(all.total()).isEqualTo(3);
      assertThat(ids(all)).containsExactly(inTitleToo.getString("id"), inTitle.getString("id"),
        inDescription.getString("id"));
      List<String> paged = new ArrayList<>();
      for (int page = 0; page < 3; page++) {
        paged.addAll(ids(Await.result(narrow.search(SearchApi.Query.from(new JsonObject().put("q", w)
          .put("page", page).put("size", 1))))));
      }
      assertThat(paged).isEqualTo(ids(all));
    } finally {
      pool.close();
    }
  }

  private static List<String> rows(Pool pool, String sql) {
    List<String> out = new ArrayList<>();
    for (Row r : Await.result(pool.query(sql).execute())) {
      out.add(r.toJson().encode());
    }
    return out;
  }
}
