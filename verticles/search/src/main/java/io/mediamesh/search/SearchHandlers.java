package io.mediamesh.search;

import io.mediamesh.common.api.SearchApi;
import io.mediamesh.search.engine.SearchEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Answers {@code SearchApi.QUERY} and {@code SUGGEST}: through the answer cache, from the engine. */
final class SearchHandlers {

  private final SearchEngine engine;
  private final ResultCache cache;
  private final SearchReplies replies;

  SearchHandlers(SearchEngine engine, ResultCache cache, SearchReplies replies) {
    this.engine = engine;
    this.cache = cache;
    this.replies = replies;
  }

  /**
   * A search through the cache; a query that finds nothing is corrected (typos) and, when that changes it, searched
   * again, also through the cache (the cache hands out answers of their own, so naming the correction changes no
   * other caller's): a misspelling of a popular word costs one correction, not another full search.
   */
  Future<JsonObject> query(SearchApi.Query query) {
    return cache.get(key(query), () -> engine.searchOrCorrect(query).compose(searched -> {
      String corrected = searched.corrected();
      if (corrected == null) {
        return Future.succeededFuture(replies.result(searched.result()));
      }
      SearchApi.Query again = query.withQ(corrected);
      JsonObject uncorrected = replies.result(searched.result());
      return cache.get(key(again), () -> engine.search(again).map(replies::result))
        // under an age limit a correction that finds nothing is not told: its words may be those of titles the
        // limit hides (the lexicon is everyone's)
        .map(answer -> query.maxAgeRating() != null && answer.getLong("total", 0L) == 0 ? uncorrected
          : SearchReplies.corrected(answer, corrected));
    }));
  }

  Future<JsonObject> suggest(SearchApi.Suggest request) {
    return cache.get(key(request), () -> engine.suggest(request).map(replies::suggestions));
  }

  /** A key naming every field, for the cache (a free-text field cannot pass for another field, as in toString). */
  static String key(SearchApi.Query q) {
    return new JsonArray().add(q.q()).add(q.type()).add(q.category()).add(q.language())
      .add(q.programId() == null ? null : q.programId().toString()).add(q.kind()).add(q.genre()).add(q.page())
      .add(q.size()).add(q.maxAgeRating()).encode();
  }

  static String key(SearchApi.Suggest s) {
    return new JsonArray().add("suggest").add(s.q()).add(s.limit()).add(s.maxAgeRating()).encode();
  }
}
