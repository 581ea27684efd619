package io.mediamesh.common.api;

import io.mediamesh.common.bus.Addresses;

/**
 * The search service's event-bus API. The index holds published programs and episodes only, merged with their
 * metadata and thumbnail; it is built from content, metadata and media events. Access: query and suggest are
 * public (anyone, a token is optional); status needs ADMIN or EDITOR; reindex needs ADMIN.
 * <pre>
 * address                      request                                                 reply
 * mediamesh.search.query       {q, type?: PROGRAM|EPISODE, category?, language?,       {items: [Hit], page, size, total,
 *                               programId?, page?, size?}                                facets: {type: {PROGRAM: n, ..},
 *                                                                                         category: {..}, language: {..}}}
 * mediamesh.search.suggest     {q, limit?}                                              {items: [{id, type, title}]}
 * mediamesh.search.status      {}                                                       {documents, programs, episodes,
 *                                                                                         lastEventAt, consumerLag,
 *                                                                                         reindex: {state, startedAt,
 *                                                                                         finishedAt, documents, error}}
 * mediamesh.search.reindex     {}                                                       202-style {state: RUNNING, startedAt}
 *
 * Hit = {id, type, title, description, highlight, category, language, programId, thumbnailUrl, publishedAt, score}
 * </pre>
 * {@code q} is 1..200 characters (400 otherwise); page counts from 0, size 1..100 (default 20); limit 1..20
 * (default 10). {@code highlight} is the best fragment of the title or description with matches wrapped in
 * {@code <em>}..{@code </em>} (the text itself is HTML-escaped). Facets count over the query and the other filters,
 * not the facet's own filter. A second reindex while one runs answers 409.
 */
public final class SearchApi {
  public static final String SERVICE = "search";
  public static final String QUERY = Addresses.of(SERVICE, "query");
  public static final String SUGGEST = Addresses.of(SERVICE, "suggest");
  public static final String STATUS = Addresses.of(SERVICE, "status");
  public static final String REINDEX = Addresses.of(SERVICE, "reindex");

  private SearchApi() {
  }

  public static String operation(String address) {
    return Addresses.operation(SERVICE, address);
  }
}
