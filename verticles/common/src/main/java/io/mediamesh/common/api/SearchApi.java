package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The search service's event-bus API. The index holds published programs and episodes only, merged with their
 * metadata and thumbnail; it is built from content, metadata and media events. Access: query and suggest are
 * public (anyone, a token is optional); status needs ADMIN or EDITOR; reindex needs ADMIN.
 * <pre>
 * address                      request                                                 reply
 * mediamesh.search.query       {q, type?: PROGRAM|EPISODE, category?, language?,       {items: [Hit], page, size, total,
 *                               programId?, kind?: SERIES|SHOW|PODCAST|MOVIE, genre?,    facets: {type: {PROGRAM: n, ..},
 *                               maxAgeRating?, page?, size?}                              category: {..}, language: {..},
 *                                                                                         kind: {..}, genre: {..}},
 *                                                                                         correctedQuery?}
 * mediamesh.search.suggest     {q, limit?, maxAgeRating?}                              {items: [{id, type, title}]}
 * mediamesh.search.status      {}                                                       {documents, programs, episodes,
 *                                                                                         engine, copy, lastEventAt,
 *                                                                                         consumerLag,
 *                                                                                         reindex: {state, startedAt,
 *                                                                                         finishedAt, documents, error}}
 * mediamesh.search.reindex     {}                                                       202-style {state: RUNNING, startedAt}
 *
 * Hit = {id, type, title, description, highlight, category, language, programId, thumbnailUrl, publishedAt, score}
 * </pre>
 * {@code q} is 1..200 characters (400 otherwise); page counts from 0 (at most 10,000), size 1..100 (default 20);
 * limit 1..20 (default 10). {@code highlight} is the best fragment of the title or description with matches wrapped
 * in {@code <em>}..{@code </em>} (the text itself is HTML-escaped). Facets count over the query and the other
 * filters, not the facet's own filter. A query that finds nothing is corrected (typos) and, when that changes it,
 * answered for the corrected query, named as {@code correctedQuery}. A second reindex while one runs answers 409.
 * Under an age limit (the stricter of {@code maxAgeRating} and the caller's profile's) only documents rated at most
 * that are found or suggested; unrated ones are not ({@link AgeRatings}).
 */
public final class SearchApi {
  public static final String SERVICE = "search";
  private static final Access ADMINS = Access.roles(Role.ADMIN);
  private static final Access ANYONE = Access.anyone();
  private static final Access EDITORS = Access.roles(Role.ADMIN, Role.EDITOR);
  private static final Set<String> TYPES = Set.of("PROGRAM", "EPISODE");

  public static final Operation<Query> QUERY = op("query", ANYONE, Query::from);
  public static final Operation<Suggest> SUGGEST = op("suggest", ANYONE, Suggest::from);
  public static final Operation<Operation.None> STATUS = op("status", EDITORS, Operation.None::from);
  public static final Operation<Operation.None> REINDEX = op("reindex", ADMINS, Operation.None::from);

  private SearchApi() {
  }

  private static <Q extends Operation.Request> Operation<Q> op(String name, Access access,
                                                               Function<JsonObject, Q> reader) {
    return Operation.of(SERVICE, name, access, reader);
  }

  /**
   * {@code query}: the words to find (web-search style: {@code "a phrase"}, {@code -excluded}, {@code or}), the
   * filters (null: any) and the page of the ranked hits.
   */
  public record Query(String q, String type, String category, String language, UUID programId, String kind,
                      String genre, int page, int size, Integer maxAgeRating) implements Operation.Request {

    /** A query for everyone (no age limit), without the catalog filters. */
    public Query(String q, String type, String category, String language, UUID programId, int page, int size) {
      this(q, type, category, language, programId, null, null, page, size, null);
    }

    public static Query from(JsonObject body) {
      Fields f = Fields.of(body);
      String q = f.text("q", true, Limits.QUERY_MAX);
      String type = f.string("type", false);
      if (type != null && !TYPES.contains(type)) {
        f.problem("type", "must be PROGRAM or EPISODE");
      }
      String category = f.text("category", false, Limits.CATEGORY_MAX);
      String language = f.text("language", false, Limits.LANGUAGE_MAX);
      UUID programId = f.uuid("programId", false);
      CmsApi.ProgramKind kind = f.enumValue("kind", CmsApi.ProgramKind.class, false);
      String genre = f.text("genre", false, Limits.GENRE_LENGTH_MAX);
      int page = f.integer("page", 0, 0, Limits.SEARCH_PAGE_MAX);
      int size = f.integer("size", 20, 1, Limits.SIZE_MAX);
      Integer max = AuthApi.ageRating(f, "maxAgeRating");
      f.validate();
      // genres are stored lower-cased (metadata's rule): a filter matches them whatever its case
      return new Query(q.strip(), type, category, language, programId, kind == null ? null : kind.name(),
        genre == null || genre.isEmpty() ? null : genre.toLowerCase(Locale.ROOT), page, size, AgeRatings.limit(max));
    }

    /** The same query with other words (the filters and page kept): a corrected query. */
    public Query withQ(String other) {
      return new Query(other, type, category, language, programId, kind, genre, page, size, maxAgeRating);
    }

    /** The same query under the stricter of its limit and {@code limit} (the caller's profile's). */
    public Query limitedTo(Integer limit) {
      return new Query(q, type, category, language, programId, kind, genre, page, size,
        AgeRatings.stricter(maxAgeRating, limit));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("q", q);
      if (type != null) {
        json.put("type", type);
      }
      if (category != null) {
        json.put("category", category);
      }
      if (language != null) {
        json.put("language", language);
      }
      if (programId != null) {
        json.put("programId", programId.toString());
      }
      if (kind != null) {
        json.put("kind", kind);
      }
      if (genre != null) {
        json.put("genre", genre);
      }
      if (maxAgeRating != null) {
        json.put("maxAgeRating", maxAgeRating);
      }
      return json.put("page", page).put("size", size);
    }
  }

  /** {@code suggest}: titles completing {@code q} as typed (its last word a prefix), at most {@code limit}. */
  public record Suggest(String q, int limit, Integer maxAgeRating) implements Operation.Request {

    /** Suggestions for everyone (no age limit). */
    public Suggest(String q, int limit) {
      this(q, limit, null);
    }

    public static Suggest from(JsonObject body) {
      Fields f = Fields.of(body);
      String q = f.text("q", true, Limits.QUERY_MAX);
      int limit = f.integer("limit", 10, 1, Limits.SUGGEST_LIMIT_MAX);
      Integer max = AuthApi.ageRating(f, "maxAgeRating");
      f.validate();
      return new Suggest(q, limit, AgeRatings.limit(max));
    }

    /** The same request under the stricter of its limit and {@code ageLimit} (the caller's profile's). */
    public Suggest limitedTo(Integer ageLimit) {
      return new Suggest(q, limit, AgeRatings.stricter(maxAgeRating, ageLimit));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("q", q).put("limit", limit);
      return maxAgeRating == null ? json : json.put("maxAgeRating", maxAgeRating);
    }
  }
}
