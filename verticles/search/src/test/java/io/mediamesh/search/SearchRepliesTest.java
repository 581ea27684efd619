package io.mediamesh.search;

import io.mediamesh.common.readmodel.MediaUrls;
import io.mediamesh.search.engine.SearchResult;
import io.mediamesh.search.engine.Suggestions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The one mapping of the engines' typed answers to the replies: field names, order, nulls and URLs. */
class SearchRepliesTest {

  private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final UUID PROGRAM = UUID.fromString("00000000-0000-0000-0000-000000000002");
  private static final SearchReplies WITH_CDN = new SearchReplies(MediaUrls.from(new JsonObject().put("services",
    new JsonObject().put("media", new JsonObject().put("cdnBaseUrl", "https://cdn.example/")))));

  private static SearchResult.Facets facets(Map<String, Integer> type) {
    return new SearchResult.Facets(type, Map.of(), Map.of());
  }

  @Test
  void aResultIsWrittenAsTheContractNamesIt() {
    SearchResult result = new SearchResult(List.of(new SearchResult.Hit(ID, "EPISODE", "Harbour <b>", null,
      "<em>Harbour</em> &lt;b&gt;", "NEWS", "en", PROGRAM, "thumbs/a.jpg",
      Instant.parse("2026-03-04T05:06:07.123456Z"), 1.234567)), 2, 10, 21,
      new SearchResult.Facets(Map.of("EPISODE", 1), Map.of("NEWS", 1), Map.of("en", 1), Map.of("SERIES", 1),
        Map.of("drama", 1)));
    assertThat(WITH_CDN.result(result).encode()).isEqualTo("{\"items\":[{"
      + "\"id\":\"00000000-0000-0000-0000-000000000001\",\"type\":\"EPISODE\",\"title\":\"Harbour <b>\","
      + "\"description\":null,\"highlight\":\"<em>Harbour</em> &lt;b&gt;\",\"category\":\"NEWS\",\"language\":\"en\","
      + "\"programId\":\"00000000-0000-0000-0000-000000000002\",\"thumbnailUrl\":\"https://cdn.example/thumbs/a.jpg\","
      + "\"publishedAt\":\"2026-03-04T05:06:07.123456Z\",\"score\":1.234567}],"
      + "\"page\":2,\"size\":10,\"total\":21,"
      + "\"facets\":{\"type\":{\"EPISODE\":1},\"category\":{\"NEWS\":1},\"language\":{\"en\":1},"
      + "\"kind\":{\"SERIES\":1},\"genre\":{\"drama\":1}}}");
  }

  @Test
  void absentValuesAreNullsAndWithoutACdnThereIsNoThumbnailUrl() {
    SearchReplies noCdn = new SearchReplies(MediaUrls.from(new JsonObject()));
    JsonObject hit = noCdn.result(new SearchResult(List.of(new SearchResult.Hit(ID, "PROGRAM", "t", "d", "t", null,
      null, null, "thumbs/a.jpg", null, 0)), 0, 20, 1, facets(Map.of()))).getJsonArray("items").getJsonObject(0);
    assertThat(hit.fieldNames()).containsExactly("id", "type", "title", "description", "highlight", "category",
      "language", "programId", "thumbnailUrl", "publishedAt", "score");
    for (String absent : List.of("category", "language", "programId", "thumbnailUrl", "publishedAt")) {
      assertThat(hit.containsKey(absent)).as(absent).isTrue();
      assertThat(hit.getValue(absent)).as(absent).isNull();
    }
  }

  @Test
  void facetsGoMostFrequentFirstThenByValueAndStayIntegers() {
    JsonObject type = WITH_CDN.result(new SearchResult(List.of(), 0, 20, 9,
      facets(Map.of("b", 2, "a", 2, "c", 5)))).getJsonObject("facets").getJsonObject("type");
    assertThat(type.encode()).isEqualTo("{\"c\":5,\"a\":2,\"b\":2}");
    assertThat(type.getMap()).containsExactlyInAnyOrderEntriesOf(Map.of("c", 5, "a", 2, "b", 2));
  }

  @Test
  void aCorrectedAnswerNamesTheQueryItAnswers() {
    JsonObject answer = WITH_CDN.result(new SearchResult(List.of(), 0, 20, 0, facets(Map.of())));
    assertThat(SearchReplies.corrected(answer, "harbour tales").fieldNames())
      .containsExactly("items", "page", "size", "total", "facets", "correctedQuery");
    assertThat(answer.getString("correctedQuery")).isEqualTo("harbour tales");
  }

  @Test
  void suggestionsAreIdTypeAndTitle() {
    Suggestions suggestions = new Suggestions(List.of(new Suggestions.Suggestion(ID, "PROGRAM", "Mountain Diaries")));
    assertThat(WITH_CDN.suggestions(suggestions).encode()).isEqualTo("{\"items\":[{"
      + "\"id\":\"00000000-0000-0000-0000-000000000001\",\"type\":\"PROGRAM\",\"title\":\"Mountain Diaries\"}]}");
  }
}
