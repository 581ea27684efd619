package io.mediamesh.search;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The search engine behind the service. The default keeps the index in PostgreSQL (full text with per-language
 * stemming, trigram and edit-distance typo correction); a dedicated engine can replace it by implementing this and
 * being fed the same refreshes.
 */
public interface SearchEngine {

  /** Ranked hits with highlights, total and facets (the reply shape of {@code SearchApi.QUERY}). */
  Future<JsonObject> search(SearchQuery query);

  /**
   * The query with its misspelt words replaced by the nearest indexed words, or null when nothing changes (the
   * service searches again with it when the query found nothing).
   */
  Future<String> correct(String q);

  /**
   * The search; when it finds nothing and {@link #correct} changes the query, the corrected query's answer (searched
   * with {@code again}, e.g. through a cache) named as {@code correctedQuery}.
   */
  default Future<JsonObject> searchOrCorrect(SearchQuery query, Function<SearchQuery, Future<JsonObject>> again) {
    return search(query).compose(result -> {
      if (result.getLong("total") > 0) {
        return Future.succeededFuture(result);
      }
      return correct(query.q()).compose(corrected -> answer(query, result, corrected, again));
    });
  }

  /** {@code result} when {@code corrected} is null, else the corrected query's answer naming it. */
  static Future<JsonObject> answer(SearchQuery query, JsonObject result, String corrected,
                                   Function<SearchQuery, Future<JsonObject>> again) {
    return corrected == null ? Future.succeededFuture(result)
      : again.apply(query.withQ(corrected)).map(found -> found.put("correctedQuery", corrected));
  }

  /** As-you-type suggestions: {@code {items: [{id, type, title}]}}. */
  Future<JsonObject> suggest(String q, int limit);

  /** Counts for the status answer: {@code {documents, programs, episodes}}. */
  Future<JsonObject> counts();

  /**
   * Brings the documents of the given content (programs also stand for their episodes) in line with the
   * projection: indexed when visible, removed otherwise.
   */
  Future<Void> refresh(io.vertx.sqlclient.SqlConnection tx, Set<UUID> contentIds);
}
