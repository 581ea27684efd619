package io.mediamesh.search.lucene;

import io.mediamesh.common.api.SearchApi;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;

import static io.mediamesh.search.lucene.Schema.CATEGORY;
import static io.mediamesh.search.lucene.Schema.GENRE;
import static io.mediamesh.search.lucene.Schema.KIND;
import static io.mediamesh.search.lucene.Schema.RATING;
import static io.mediamesh.search.lucene.Schema.ID;
import static io.mediamesh.search.lucene.Schema.LANGUAGE;
import static io.mediamesh.search.lucene.Schema.PROGRAM;
import static io.mediamesh.search.lucene.Schema.PUBLISHED;
import static io.mediamesh.search.lucene.Schema.TYPE;

/**
 * Filters, facets, total and the best {@code wanted} matches, in one pass over the matches (every match is ranked:
 * no window is needed in memory). Each facet counts over the query and the other filters, not its own.
 */
final class Matches implements Collector {
  private static final int ANY = -2;
  private static final int NONE = -3;

  private final SearchApi.Query query;
  private final int wanted;
  private final PriorityQueue<Hit> best = new PriorityQueue<>();
  final Facet types = new Facet();
  final Facet categories = new Facet();
  final Facet languages = new Facet();
  final Facet kinds = new Facet();
  final Facet genres = new Facet();
  long total;

  private Matches(SearchApi.Query query, int wanted) {
    this.query = query;
    this.wanted = wanted;
  }

  /** The matches of {@code match} on {@code searcher} that pass {@code query}'s filters, the best {@code wanted}. */
  static Matches collect(IndexSearcher searcher, Query match, SearchApi.Query query, int wanted) throws IOException {
    Matches matches = new Matches(query, wanted);
    searcher.search(match, new CollectorManager<Matches, Matches>() {
      @Override
      public Matches newCollector() {
        return matches; // a searcher without an executor asks once
      }

      @Override
      public Matches reduce(Collection<Matches> collectors) {
        return matches;
      }
    });
    return matches;
  }

  /** The best matches, best first. */
  List<Hit> ranked() {
    List<Hit> out = new ArrayList<>(best);
    out.sort(Collections.reverseOrder());
    return out;
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.COMPLETE;
  }

  private static int wanted(SortedDocValues dv, String value) throws IOException {
    if (value == null) {
      return ANY;
    }
    int ord = dv.lookupTerm(new BytesRef(value));
    return ord >= 0 ? ord : NONE;
  }

  private static int ord(SortedDocValues dv, int doc) throws IOException {
    return dv.advanceExact(doc) ? dv.ordValue() : -1;
  }

  private static boolean passes(int wanted, int ord) {
    return wanted == ANY || ord == wanted;
  }

  private static int wanted(SortedSetDocValues dv, String value) throws IOException {
    if (value == null) {
      return ANY;
    }
    long ord = dv.lookupTerm(new BytesRef(value));
    return ord >= 0 ? (int) ord : NONE;
  }

  @Override
  public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
    var reader = context.reader();
    SortedDocValues type = DocValues.getSorted(reader, TYPE);
    SortedDocValues category = DocValues.getSorted(reader, CATEGORY);
    SortedDocValues language = DocValues.getSorted(reader, LANGUAGE);
    SortedDocValues program = DocValues.getSorted(reader, PROGRAM);
    NumericDocValues published = DocValues.getNumeric(reader, PUBLISHED);
    SortedDocValues ids = DocValues.getSorted(reader, ID);
    NumericDocValues rating = DocValues.getNumeric(reader, RATING);
    Integer ageLimit = query.maxAgeRating();
    int wantType = wanted(type, query.type());
    int wantCategory = wanted(category, query.category());
    int wantLanguage = wanted(language, query.language());
    int wantProgram = wanted(program, query.programId() == null ? null : query.programId().toString());
    SortedDocValues kind = DocValues.getSorted(reader, KIND);
    SortedSetDocValues genre = DocValues.getSortedSet(reader, GENRE);
    int wantKind = wanted(kind, query.kind());
    int wantGenre = wanted(genre, query.genre());
    int[] typeCounts = types.segment(type);
    int[] categoryCounts = categories.segment(category);
    int[] languageCounts = languages.segment(language);
    int[] kindCounts = kinds.segment(kind);
    int[] genreCounts = genres.segment(genre);
    // a document's genres, read once per document
    int[] docGenres = new int[Math.max(1, (int) Math.min(genre.getValueCount(), 64))];
    int base = context.docBase;
    return new LeafCollector() {
      private Scorable scorer;

      @Override
      public void setScorer(Scorable scorer) {
        this.scorer = scorer;
      }

      @Override
      public void collect(int doc) throws IOException {
        // the age limit is no facet: what it hides is not counted anywhere (unrated documents included)
        if (ageLimit != null && (!rating.advanceExact(doc) || rating.longValue() > ageLimit)) {
          return;
        }
        int t = ord(type, doc);
        int c = ord(category, doc);
        int l = ord(language, doc);
        int k = ord(kind, doc);
        int g = genres(doc);
        boolean okType = passes(wantType, t);
        boolean okCategory = passes(wantCategory, c);
        boolean okLanguage = passes(wantLanguage, l);
        boolean okProgram = wantProgram == ANY || passes(wantProgram, ord(program, doc));
        boolean okKind = passes(wantKind, k);
        boolean okGenre = wantGenre == ANY || hasGenre(g, wantGenre);
        // each facet counts over the other filters, not its own
        boolean others = okProgram && okKind && okGenre;
        if (okCategory && okLanguage && others && t >= 0) {
          typeCounts[t]++;
        }
        if (okType && okLanguage && others && c >= 0) {
          categoryCounts[c]++;
        }
        if (okType && okCategory && others && l >= 0) {
          languageCounts[l]++;
        }
        boolean rest = okType && okCategory && okLanguage && okProgram;
        if (rest && okGenre && k >= 0) {
          kindCounts[k]++;
        }
        if (rest && okKind) {
          for (int i = 0; i < g; i++) {
            genreCounts[docGenres[i]]++;
          }
        }
        if (!(rest && okKind && okGenre)) {
          return;
        }
        total++;
        float score = scorer.score();
        long newest = published.advanceExact(doc) ? published.longValue() : Long.MIN_VALUE;
        if (best.size() < wanted) {
          best.add(new Hit(score, newest, id(doc), base + doc));
          return;
        }
        Hit worst = best.peek();
        int better = Float.compare(score, worst.score());
        if (better == 0) {
          better = Long.compare(newest, worst.published());
        }
        BytesRef id = null;
        if (better == 0) { // the id decides, read only on such a tie
          id = id(doc);
          better = worst.id().compareTo(id);
        }
        if (better > 0) {
          best.poll();
          best.add(new Hit(score, newest, id != null ? id : id(doc), base + doc));
        }
      }

      /** Reads the document's genre ordinals into {@code docGenres}; how many (at most its length). */
      private int genres(int doc) throws IOException {
        if (!genre.advanceExact(doc)) {
          return 0;
        }
        int n = Math.min(genre.docValueCount(), docGenres.length);
        for (int i = 0; i < n; i++) {
          docGenres[i] = (int) genre.nextOrd();
        }
        return n;
      }

      private boolean hasGenre(int count, int wanted) {
        for (int i = 0; i < count; i++) {
          if (docGenres[i] == wanted) {
            return true;
          }
        }
        return false;
      }

      private BytesRef id(int doc) throws IOException {
        if (!ids.advanceExact(doc)) {
          throw new IllegalStateException("document " + doc + " has no id");
        }
        return BytesRef.deepCopyOf(ids.lookupOrd(ids.ordValue()));
      }
    };
  }
}
