package io.mediamesh.search;

import io.mediamesh.common.readmodel.MediaUrls;
import io.mediamesh.search.engine.SearchResult;
import io.mediamesh.search.engine.Suggestions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The replies of {@code SearchApi.QUERY} and {@code SUGGEST}, made of what the engines answer: the one place their
 * JSON is written, whichever engine answered. Thumbnails are shown by their public URL ({@link MediaUrls}).
 */
final class SearchReplies {

  private final MediaUrls urls;

  SearchReplies(MediaUrls urls) {
    this.urls = urls;
  }

  /** {@code {items: [Hit], page, size, total, facets: {type, category, language, kind, genre}}}. */
  JsonObject result(SearchResult result) {
    JsonArray items = new JsonArray();
    for (SearchResult.Hit hit : result.items()) {
      items.add(hit(hit));
    }
    SearchResult.Facets facets = result.facets();
    return new JsonObject()
      .put("items", items)
      .put("page", result.page())
      .put("size", result.size())
      .put("total", result.total())
      .put("facets", new JsonObject()
        .put("type", counts(facets.type()))
        .put("category", counts(facets.category()))
        .put("language", counts(facets.language()))
        .put("kind", counts(facets.kind()))
        .put("genre", counts(facets.genre())));
  }

  /** The result of a corrected query: its answer, naming the query it answers. */
  static JsonObject corrected(JsonObject answer, String correctedQuery) {
    return answer.put("correctedQuery", correctedQuery);
  }

  /**
   * {@code {id, type, title, description, highlight, category, language, programId, thumbnailUrl, publishedAt,
   * score}}, absent values as nulls.
   */
  private JsonObject hit(SearchResult.Hit hit) {
    return new JsonObject()
      .put("id", hit.id().toString())
      .put("type", hit.type())
      .put("title", hit.title())
      .put("description", hit.description())
      .put("highlight", hit.highlight())
      .put("category", hit.category())
      .put("language", hit.language())
      .put("programId", hit.programId() == null ? null : hit.programId().toString())
      .put("thumbnailUrl", urls.url(hit.thumbnailKey()))
      .put("publishedAt", hit.publishedAt() == null ? null : hit.publishedAt().toString())
      .put("score", hit.score());
  }

  private static JsonObject counts(Map<String, Integer> counts) {
    JsonObject out = new JsonObject();
    counts.forEach(out::put);
    return out;
  }

  /** {@code {items: [{id, type, title}]}}. */
  JsonObject suggestions(Suggestions suggestions) {
    JsonArray items = new JsonArray();
    for (Suggestions.Suggestion s : suggestions.items()) {
      items.add(new JsonObject().put("id", s.id().toString()).put("type", s.type()).put("title", s.title()));
    }
    return new JsonObject().put("items", items);
  }
}
