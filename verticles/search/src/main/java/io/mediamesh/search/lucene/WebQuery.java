package io.mediamesh.search.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.sandbox.search.CombinedFieldQuery;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.mediamesh.search.lucene.Schema.AR;
import static io.mediamesh.search.lucene.Schema.DESCRIPTION_WEIGHT;
import static io.mediamesh.search.lucene.Schema.EN;
import static io.mediamesh.search.lucene.Schema.TAGS_WEIGHT;
import static io.mediamesh.search.lucene.Schema.TITLE_WEIGHT;

/**
 * A query as web search reads it, as PostgreSQL's {@code websearch_to_tsquery} does: words are all required,
 * {@code "quoted words"} are a phrase, {@code -word} (or {@code -"phrase"}) is excluded, and {@code or} between two
 * parts makes them alternatives; anything else is text, never a syntax error. Its language is unknown, so it is read
 * both ways, and a document matches when its own language's reading does: every required term in its title,
 * description or tags, scored as BM25F over the three (so the title weighs most however rare the word is in
 * descriptions).
 *
 * @param english the required terms as English reads them (what highlights mark in an English document)
 * @param arabic the same as Arabic reads them
 * @param query the Lucene query matching either reading
 */
record WebQuery(Set<String> english, Set<String> arabic, Query query) {

  /** A word or a "quoted phrase" of a query, maybe -excluded. */
  record Unit(String text, boolean phrase, boolean excluded) {
  }

  /** The required terms of the reading of a document in {@code language}. */
  Set<String> terms(String language) {
    return TextAnalysis.arabic(language) ? arabic : english;
  }

  /** {@code q} read both ways; {@code analyzer} analyses each text field as {@link Schema#analyzer()} does. */
  static WebQuery parse(String q, Analyzer analyzer) {
    List<List<Unit>> alternatives = units(q);
    Set<String> english = new LinkedHashSet<>();
    Set<String> arabic = new LinkedHashSet<>();
    BooleanQuery.Builder either = new BooleanQuery.Builder();
    reading(either, alternatives, analyzer, TextAnalysis.ENGLISH, EN, english);
    reading(either, alternatives, analyzer, TextAnalysis.ARABIC, AR, arabic);
    return new WebQuery(english, arabic, either.build());
  }

  /** The alternatives of {@code q}, each a list of its words and phrases. */
  static List<List<Unit>> units(String q) {
    List<List<Unit>> alternatives = new ArrayList<>();
    List<Unit> current = new ArrayList<>();
    int i = 0;
    int n = q.length();
    while (i < n) {
      if (Character.isWhitespace(q.charAt(i))) {
        i++;
        continue;
      }
      boolean excluded = q.charAt(i) == '-' && i + 1 < n && !Character.isWhitespace(q.charAt(i + 1));
      if (excluded) {
        i++;
      }
      if (q.charAt(i) == '"') {
        int close = q.indexOf('"', i + 1);
        int end = close < 0 ? n : close;
        current.add(new Unit(q.substring(i + 1, end), true, excluded));
        i = end + 1;
        continue;
      }
      int end = i;
      while (end < n && !Character.isWhitespace(q.charAt(end)) && q.charAt(end) != '"') {
        end++;
      }
      String word = q.substring(i, end);
      i = end;
      if (!excluded && word.equalsIgnoreCase("or") && !current.isEmpty()) {
        alternatives.add(current);
        current = new ArrayList<>();
        continue;
      }
      current.add(new Unit(word, false, excluded));
    }
    if (!current.isEmpty()) {
      alternatives.add(current);
    }
    return alternatives;
  }

  /**
   * The query as one language reads it, over that language's documents: each alternative requires its terms (each
   * in the title, description or tags) and phrases, and excludes its excluded ones. Adds the required terms to
   * {@code shown} (highlights). A part made only of stop words asks nothing, as in an empty tsquery.
   */
  private static void reading(BooleanQuery.Builder either, List<List<Unit>> alternatives, Analyzer analyzer,
                              Analyzer chain, String lang, Set<String> shown) {
    for (List<Unit> alternative : alternatives) {
      BooleanQuery.Builder all = new BooleanQuery.Builder();
      int required = 0;
      int excluded = 0;
      for (Unit unit : alternative) {
        List<String> terms = TextAnalysis.terms(chain, "title" + lang, unit.text());
        List<Query> parts = new ArrayList<>();
        if (unit.phrase() && terms.size() > 1) {
          parts.add(phrase(analyzer, unit.text(), lang));
        } else {
          for (String t : new LinkedHashSet<>(terms)) {
            parts.add(new CombinedFieldQuery.Builder()
              .addField("title" + lang, TITLE_WEIGHT)
              .addField("description" + lang, DESCRIPTION_WEIGHT)
              .addField("tags" + lang, TAGS_WEIGHT)
              .addTerm(new BytesRef(t))
              .build());
          }
        }
        for (Query part : parts) {
          all.add(part, unit.excluded() ? Occur.MUST_NOT : Occur.MUST);
        }
        if (unit.excluded()) {
          excluded += parts.size();
        } else {
          required += parts.size();
          shown.addAll(terms);
        }
      }
      if (required == 0 && excluded == 0) {
        continue;
      }
      if (required == 0) {
        all.add(new FieldExistsQuery("title" + lang), Occur.FILTER); // "-word" alone: this language's others
      }
      either.add(all.build(), Occur.SHOULD);
    }
  }

  /** The words in this order, in the title, description or tags (weighted as terms are). */
  private static Query phrase(Analyzer analyzer, String text, String lang) {
    QueryBuilder builder = new QueryBuilder(analyzer);
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    String[] fields = {"title", "description", "tags"};
    float[] weights = {TITLE_WEIGHT, DESCRIPTION_WEIGHT, TAGS_WEIGHT};
    for (int i = 0; i < fields.length; i++) {
      Query q = builder.createPhraseQuery(fields[i] + lang, text);
      if (q != null) {
        any.add(new BoostQuery(q, weights[i]), Occur.SHOULD);
      }
    }
    return any.build();
  }
}
