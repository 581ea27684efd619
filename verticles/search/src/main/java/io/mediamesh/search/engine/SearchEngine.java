package io.mediamesh.search.engine;

import io.mediamesh.common.api.SearchApi;
import io.vertx.core.Future;

/**
 * What answers the search service's queries. The index of record is PostgreSQL's {@code documents} table (full text
 * with per-language stemming, trigram and edit-distance typo correction), which can answer itself; the default
 * engine answers from an in-memory copy of it. Engines only read: the documents are written by the indexer.
 */
public interface SearchEngine {

  /** Ranked hits with highlights, total and facets. */
  Future<SearchResult> search(SearchApi.Query query);

  /**
   * The query with its misspelt words replaced by the nearest indexed words, or null when nothing changes (the
   * service searches again with it when the query found nothing).
   */
  Future<String> correct(String q);

  /** The search and, when it finds nothing, its correction (an engine may do both in one pass). */
  default Future<Searched> searchOrCorrect(SearchApi.Query query) {
    return search(query).compose(result -> result.total() > 0 ? Future.succeededFuture(new Searched(result, null))
      : correct(query.q()).map(corrected -> new Searched(result, corrected)));
  }

  /** As-you-type suggestions. */
  Future<Suggestions> suggest(SearchApi.Suggest request);

  /** A search's answer, and the query corrected when it found nothing (null when nothing changes). */
  record Searched(SearchResult result, String corrected) {
  }
}
