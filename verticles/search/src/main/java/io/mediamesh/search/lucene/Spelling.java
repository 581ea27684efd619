package io.mediamesh.search.lucene;

import io.mediamesh.search.engine.Suggestions;
import io.vertx.core.json.JsonObject;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.mediamesh.search.lucene.Schema.ID;
import static io.mediamesh.search.lucene.Schema.PUBLISHED;
import static io.mediamesh.search.lucene.Schema.TITLE_WORDS;
import static io.mediamesh.search.lucene.Schema.TYPE;
import static io.mediamesh.search.lucene.Schema.WORDS;

/**
 * The words as typed, against the words of the index: typo correction (a word no title or tag has is replaced by the
 * nearest that one has: one edit, two past six letters, transpositions counting as one, the most frequent on a tie)
 * and as-you-type suggestions (titles with every word, the last as a prefix). Thread-safe.
 */
final class Spelling {

  private static final Sort SUGGEST_ORDER = suggestOrder();

  private final DirectSpellChecker oneEdit = speller(1);
  private final DirectSpellChecker twoEdits = speller(2);

  private static DirectSpellChecker speller(int edits) {
    DirectSpellChecker speller = new DirectSpellChecker();
    speller.setMaxEdits(edits);
    speller.setMinPrefix(0);
    speller.setMinQueryLength(3);
    return speller;
  }

  private static Sort suggestOrder() {
    SortField newest = new SortField(PUBLISHED, SortField.Type.LONG, true);
    newest.setMissingValue(Long.MIN_VALUE);
    // programs first (PROGRAM sorts after EPISODE), then the newest
    return new Sort(new SortField(TYPE, SortField.Type.STRING, true), newest, new SortField(ID, SortField.Type.STRING));
  }

  /** The query's words with each unknown one replaced by its nearest known word, or null when none changes. */
  String correct(IndexReader reader, String q) throws IOException {
    List<String> words = TextAnalysis.terms(TextAnalysis.WORDS, WORDS, q);
    List<String> out = new ArrayList<>(words.size());
    boolean changed = false;
    for (String w : words) {
      Term term = new Term(WORDS, w);
      if (w.length() < 3 || reader.docFreq(term) > 0) {
        out.add(w);
        continue;
      }
      // one edit first: most typos are one, and the two-edit automaton costs several times more to build
      SuggestWord[] nearest = oneEdit.suggestSimilar(term, 1, reader, SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
      if (nearest.length == 0 && w.length() > 6) {
        nearest = twoEdits.suggestSimilar(term, 1, reader, SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
      }
      out.add(nearest.length == 0 ? w : nearest[0].string);
      changed |= nearest.length > 0;
    }
    return changed ? String.join(" ", out) : null;
  }

  /**
   * Titles with every word of {@code q}, the last as a prefix: programs first, then the newest; under an age limit
   * ({@code ageLimit}, null for none) only of documents rated at most that.
   */
  Suggestions suggest(IndexSearcher searcher, String q, int limit, Integer ageLimit) throws IOException {
    List<String> words = TextAnalysis.terms(TextAnalysis.WORDS, TITLE_WORDS, q);
    if (words.isEmpty()) {
      return new Suggestions(List.of());
    }
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (int i = 0; i < words.size() - 1; i++) {
      all.add(new TermQuery(new Term(TITLE_WORDS, words.get(i))), Occur.FILTER);
    }
    all.add(new PrefixQuery(new Term(TITLE_WORDS, words.get(words.size() - 1))), Occur.FILTER);
    if (ageLimit != null) {
      all.add(NumericDocValuesField.newSlowRangeQuery(Schema.RATING, 0, ageLimit), Occur.FILTER);
    }
    ScoreDoc[] hits = searcher.search(all.build(), limit, SUGGEST_ORDER).scoreDocs;
    int[] docs = new int[hits.length];
    for (int i = 0; i < hits.length; i++) {
      docs[i] = hits[i].doc;
    }
    List<Suggestions.Suggestion> items = new ArrayList<>(docs.length);
    for (JsonObject source : Schema.sources(searcher.getIndexReader(), docs)) {
      items.add(new Suggestions.Suggestion(UUID.fromString(source.getString("id")), source.getString("type"),
        source.getString("title")));
    }
    return new Suggestions(items);
  }
}
