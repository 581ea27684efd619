package io.mediamesh.search;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.Set;
import java.util.UUID;

/**
 * The {@code documents} table, the index of record: each document re-derived from the content projection, in the
 * transaction that changed its sources (the indexer's or a reindex's), and its counts.
 */
final class Documents {

  private static final String COUNTS = """
    SELECT count(*) AS documents, count(*) FILTER (WHERE type = 'PROGRAM') AS programs,
           count(*) FILTER (WHERE type = 'EPISODE') AS episodes FROM documents""";

  // the filters name rm_content's own columns through the view, so they reach its primary key and program index
  private static final String REFRESH = """
    WITH visible AS MATERIALIZED (
      SELECT v.* FROM rm_visible v WHERE v.id = ANY($1) OR v.program_id = ANY($1)
    ), gone AS (
      DELETE FROM documents d
       WHERE (d.id = ANY($1) OR d.program_id = ANY($1)) AND NOT EXISTS (SELECT 1 FROM visible v WHERE v.id = d.id)
      RETURNING d.id
    ), upserted AS (
      INSERT INTO documents (id, type, program_id, title, description, tags, category, language, thumbnail_key,
                             published_at, kind, genres, rating, search, suggest, indexed_at)
      SELECT v.id, v.type, v.program_id, v.title, v.description, v.tags, v.category, v.language, v.thumbnail_key,
             v.published_at, v.kind, v.genres, v.rating,
             setweight(to_tsvector(mm_config(v.language), mm_fold(v.title)), 'A')
               || setweight(to_tsvector(mm_config(v.language), mm_fold(v.description)), 'B')
               || setweight(to_tsvector('simple', mm_fold(array_to_string(v.tags, ' '))), 'C'),
             to_tsvector('simple', mm_fold(v.title)),
             now()
        FROM visible v
       ORDER BY v.id
      ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, program_id = EXCLUDED.program_id, title = EXCLUDED.title,
        description = EXCLUDED.description, tags = EXCLUDED.tags, category = EXCLUDED.category,
        language = EXCLUDED.language, thumbnail_key = EXCLUDED.thumbnail_key, published_at = EXCLUDED.published_at,
        kind = EXCLUDED.kind, genres = EXCLUDED.genres, rating = EXCLUDED.rating,
        search = EXCLUDED.search, suggest = EXCLUDED.suggest, indexed_at = EXCLUDED.indexed_at
      RETURNING title, tags
    ), words AS (
      INSERT INTO lexicon (word)
      SELECT DISTINCT w.word FROM upserted u, mm_words(u.title || ' ' || array_to_string(u.tags, ' ')) w
       WHERE length(w.word) BETWEEN 3 AND 40
       ORDER BY w.word
      ON CONFLICT DO NOTHING
      RETURNING word
    ), deletes AS (
      INSERT INTO lexicon_deletes (variant, word)
      SELECT d, w.word FROM words w, mm_deletes(w.word) AS d ORDER BY 1, 2
      ON CONFLICT DO NOTHING
    )
    SELECT (SELECT count(*) FROM gone) AS removed, (SELECT count(*) FROM upserted) AS indexed""";

  private Documents() {
  }

  /** How many documents the index holds, of each type. */
  record Counts(long documents, long programs, long episodes) {
  }

  /**
   * Brings the documents of {@code contentIds} (programs also stand for their episodes) in line with the
   * projection, in {@code tx}: indexed when visible, removed otherwise; new title and tag words join the lexicon.
   */
  static Future<Void> refresh(SqlConnection tx, Set<UUID> contentIds) {
    if (contentIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(REFRESH).execute(Tuple.of(contentIds.toArray(new UUID[0]))).mapEmpty();
  }

  static Future<Counts> counts(SqlClient db) {
    return db.query(COUNTS).execute().map(rows -> {
      Row r = rows.iterator().next();
      return new Counts(r.getLong("documents"), r.getLong("programs"), r.getLong("episodes"));
    });
  }
}
