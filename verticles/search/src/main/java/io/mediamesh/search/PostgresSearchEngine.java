package io.mediamesh.search;

import io.mediamesh.common.api.SearchApi;
import io.mediamesh.search.engine.SearchEngine;
import io.mediamesh.search.engine.SearchResult;
import io.mediamesh.search.engine.Suggestions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The engine that is the index of record itself: PostgreSQL full text over the {@code documents} table (db/search,
 * written by {@link Documents#refresh}).
 * <ul>
 *   <li>Documents are folded ({@code mm_fold}: Arabic alef forms, final haa as taa marbuta, و before the article,
 *   alef maqsura, diacritics; Latin accents; case) and stemmed with their language's configuration; title weighs A, description B, tags C.</li>
 *   <li>A query is folded the same way and parsed with both the English and the Arabic configuration (OR), since
 *   its language is unknown; ranking is cover density over the weights, then recency, within a window of the
 *   matches ({@link #RANK_WINDOW}).</li>
 *   <li>No hit: each query word unknown to the lexicon (titles and tags) is replaced by its nearest lexicon word
 *   (candidates from the deletes index, and the trigram index for words longer than six letters; edit distance 1,
 *   or 2 for words longer than six letters) and the corrected
 *   query runs once; the answer names it as {@code correctedQuery}.</li>
 *   <li>Facets (type, category, language, kind, genre) count over the query and the other filters, not the facet's
 *   own; the age limit is no facet and applies to all.</li>
 * </ul>
 */
final class PostgresSearchEngine implements SearchEngine {

  private static final String FILTERS_EXCEPT = """
    ($2::text IS NULL OR %s type = $2) AND ($3::text IS NULL OR %s category = $3)
    AND ($4::text IS NULL OR %s language = $4) AND ($5::uuid IS NULL OR %s program_id = $5)
    AND ($10::text IS NULL OR %s kind = $10) AND ($11::text IS NULL OR %s $11 = ANY(genres))""";

  /**
   * By default, matches beyond this many are not ranked (the rescore window of dedicated engines): cover density
   * costs some microseconds per document, which a query matching a third of the catalogue cannot pay. The window
   * is chosen by cheap signals, title matches first, then the newest, and ranked; matches past it follow in that
   * cheap order. A query with fewer matches is ranked in full.
   */
  static final int RANK_WINDOW = 500;

  private static final String SEARCH = """
    WITH q AS (
      SELECT tsq, regexp_replace(tsq::text, '(''(?:[^'']|'''')*'')', '\\1:A', 'g')::tsquery AS title_tsq
        FROM (SELECT websearch_to_tsquery('english', mm_fold($1)) || websearch_to_tsquery('arabic', mm_fold($1))
                AS tsq) parsed
    ), matched AS (
      SELECT d.id, d.type, d.category, d.language, d.program_id, d.kind, d.genres, d.published_at,
             d.search @@ q.title_tsq AS in_title
        FROM documents d, q
       WHERE d.search @@ q.tsq AND ($9::int IS NULL OR d.rating <= $9)
    ), filtered AS (
      SELECT * FROM matched WHERE %s
    ), windowed AS (
      SELECT w.id, ts_rank_cd(d.search, q.tsq) AS rank
        FROM (SELECT id FROM filtered ORDER BY in_title DESC, published_at DESC NULLS LAST, id LIMIT $8) w
        JOIN documents d ON d.id = w.id, q
    ), page AS (
      SELECT id, rank, n FROM (
        SELECT f.id, coalesce(w.rank, 0) AS rank,
               row_number() OVER (ORDER BY w.rank DESC NULLS LAST, f.in_title DESC, f.published_at DESC NULLS LAST,
                                  f.id) AS n
          FROM filtered f LEFT JOIN windowed w ON w.id = f.id) ordered
       ORDER BY n LIMIT $6 OFFSET $7
    )
    SELECT (SELECT count(*) FROM filtered) AS total,
           (SELECT coalesce(json_agg(json_build_object(
               'id', d.id, 'type', d.type, 'title', d.title, 'description', d.description,
               'highlight', CASE WHEN to_tsvector(mm_config(d.language), mm_fold(d.title)) @@ q.tsq
                 THEN ts_headline(mm_config(d.language), mm_escape(d.title), q.tsq,
                                  'StartSel=<em>, StopSel=</em>, HighlightAll=true')
                 ELSE ts_headline(mm_config(d.language), mm_escape(coalesce(d.description, d.title)), q.tsq,
                                  'StartSel=<em>, StopSel=</em>, MaxWords=30, MinWords=10, MaxFragments=1') END,
               'category', d.category, 'language', d.language, 'programId', d.program_id,
               'thumbnailKey', d.thumbnail_key, 'publishedAt', d.published_at, 'score', round(p.rank::numeric, 6))
               ORDER BY p.n), '[]'::json)
              FROM page p JOIN documents d ON d.id = p.id, q) AS items,
           (SELECT coalesce(json_object_agg(type, n), '{}'::json)
              FROM (SELECT type, count(*) AS n FROM matched WHERE %s GROUP BY type) f) AS type_facet,
           (SELECT coalesce(json_object_agg(category, n), '{}'::json)
              FROM (SELECT category, count(*) AS n FROM matched WHERE category IS NOT NULL AND %s GROUP BY category) f)
             AS category_facet,
           (SELECT coalesce(json_object_agg(language, n), '{}'::json)
              FROM (SELECT language, count(*) AS n FROM matched WHERE language IS NOT NULL AND %s GROUP BY language) f)
             AS language_facet,
           (SELECT coalesce(json_object_agg(kind, n), '{}'::json)
              FROM (SELECT kind, count(*) AS n FROM matched WHERE kind IS NOT NULL AND %s GROUP BY kind) f) AS kind_facet,
           (SELECT coalesce(json_object_agg(genre, n), '{}'::json)
              FROM (SELECT g AS genre, count(*) AS n FROM matched, unnest(genres) g WHERE %s GROUP BY g) f)
             AS genre_facet
    """.formatted(filters(null), filters("type"), filters("category"), filters("language"), filters("kind"),
    filters("genres"));

  // candidates one edit away come from lexicon_deletes by equality; longer words (two edits allowed) also from the
  // trigram index
  private static final String CORRECT = """
    SELECT string_agg(CASE
        WHEN length(w.word) < 3 OR EXISTS (SELECT 1 FROM lexicon l WHERE l.word = w.word) THEN w.word
        ELSE coalesce((SELECT c.word
                         FROM (SELECT d.word FROM lexicon_deletes d WHERE d.variant = w.word
                               UNION
                               SELECT l.word FROM lexicon l WHERE l.word IN (SELECT mm_deletes(w.word))
                               UNION
                               SELECT d.word FROM lexicon_deletes d WHERE d.variant IN (SELECT mm_deletes(w.word))
                               UNION
                               SELECT l.word FROM lexicon l WHERE length(w.word) > 6 AND l.word % w.word) c
                        WHERE levenshtein_less_equal(c.word, w.word, 2)
                              <= CASE WHEN length(w.word) > 6 THEN 2 ELSE 1 END
                        ORDER BY levenshtein_less_equal(c.word, w.word, 2), similarity(c.word, w.word) DESC, c.word
                        LIMIT 1), w.word)
        END, ' ' ORDER BY w.pos) AS corrected,
           string_agg(w.word, ' ' ORDER BY w.pos) AS folded
      FROM mm_words($1) w""";

  private static final String SUGGEST = """
    SELECT d.id, d.type, d.title FROM documents d
     WHERE d.suggest @@ mm_prefix_query($1) AND ($3::int IS NULL OR d.rating <= $3)
     ORDER BY (d.type = 'PROGRAM') DESC, d.published_at DESC NULLS LAST, d.id
     LIMIT $2""";

  private final Pool pool;
  private final int rankWindow;

  PostgresSearchEngine(Pool pool, int rankWindow) {
    this.pool = pool;
    this.rankWindow = rankWindow;
  }

  private static String filters(String except) {
    String[] columns = {"type", "category", "language", "program_id", "kind", "genres"};
    Object[] guards = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      // a facet ignores its own filter: "TRUE OR" turns the condition off while keeping the parameter typed
      guards[i] = columns[i].equals(except) ? "TRUE OR" : "";
    }
    return FILTERS_EXCEPT.formatted(guards);
  }

  @Override
  public Future<String> correct(String q) {
    // the planner may price a scan of the lexicon below its trigram index (the word is a parameter), and then
    // computes similarity for every word: tens of milliseconds instead of one
    return pool.withTransaction(tx -> tx.query("SET LOCAL enable_seqscan = off").execute()
      .compose(v -> tx.preparedQuery(CORRECT).execute(Tuple.of(q)))).map(rows -> {
      Row row = rows.iterator().next();
      String corrected = row.getString("corrected");
      return corrected == null || corrected.equals(row.getString("folded")) ? null : corrected;
    });
  }

  @Override
  public Future<SearchResult> search(SearchApi.Query query) {
    Tuple params = Tuple.tuple().addString(query.q()).addString(query.type()).addString(query.category())
      .addString(query.language()).addUUID(query.programId()).addInteger(query.size())
      .addInteger(query.page() * query.size()).addInteger(rankWindow).addInteger(query.maxAgeRating())
      .addString(query.kind()).addString(query.genre());
    return pool.preparedQuery(SEARCH).execute(params).map(rows -> {
      Row row = rows.iterator().next();
      JsonArray items = new JsonArray(row.getJson("items").toString());
      List<SearchResult.Hit> hits = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        hits.add(hit(items.getJsonObject(i)));
      }
      return new SearchResult(hits, query.page(), query.size(), row.getLong("total"), new SearchResult.Facets(
        counts(row, "type_facet"), counts(row, "category_facet"), counts(row, "language_facet"),
        counts(row, "kind_facet"), counts(row, "genre_facet")));
    });
  }

  /** A hit as {@link #SEARCH} builds it. */
  private static SearchResult.Hit hit(JsonObject h) {
    String programId = h.getString("programId");
    String published = h.getString("publishedAt");
    Number score = h.getNumber("score");
    return new SearchResult.Hit(UUID.fromString(h.getString("id")), h.getString("type"), h.getString("title"),
      h.getString("description"), h.getString("highlight"), h.getString("category"), h.getString("language"),
      programId == null ? null : UUID.fromString(programId), h.getString("thumbnailKey"),
      published == null ? null : OffsetDateTime.parse(published).toInstant(), score.doubleValue());
  }

  private static Map<String, Integer> counts(Row row, String column) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    new JsonObject(row.getJson(column).toString()).forEach(e -> counts.put(e.getKey(), ((Number) e.getValue())
      .intValue()));
    return counts;
  }

  @Override
  public Future<Suggestions> suggest(SearchApi.Suggest request) {
    return pool.preparedQuery(SUGGEST).execute(Tuple.of(request.q(), request.limit(), request.maxAgeRating())).map(rows -> {
      List<Suggestions.Suggestion> items = new ArrayList<>(rows.size());
      rows.forEach(r -> items.add(new Suggestions.Suggestion(r.getUUID("id"), r.getString("type"),
        r.getString("title"))));
      return new Suggestions(items);
    });
  }
}
