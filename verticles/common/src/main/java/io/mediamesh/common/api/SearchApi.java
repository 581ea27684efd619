package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;

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
  private static final Access ADMINS = Access.roles(Role.ADMIN);
  private static final Access ANYONE = Access.anyone();
  private static final Access EDITORS = Access.roles(Role.ADMIN, Role.EDITOR);
  public static final Operation<Operation.Json> QUERY = Operation.of(SERVICE, "query", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> SUGGEST = Operation.of(SERVICE, "suggest", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> STATUS = Operation.of(SERVICE, "status", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> REINDEX = Operation.of(SERVICE, "reindex", ADMINS, Operation.Json::from);

  private SearchApi() {
  }

  public static String operation(Operation<?> operation) {
    return operation.name();
  }
}
