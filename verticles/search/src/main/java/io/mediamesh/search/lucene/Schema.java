package io.mediamesh.search.lucene;

import io.vertx.core.json.JsonObject;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a search document is laid out in the index: its fields (filters and ranking signals as doc values, text
 * analysed in its language's fields, whole words for spelling and suggestions), and the source each hit shows.
 */
final class Schema {

  /** Field weights in BM25F, as PostgreSQL's A, B and C weights (1, 0.4, 0.2): at least 1 each. */
  static final float TITLE_WEIGHT = 5f;
  static final float DESCRIPTION_WEIGHT = 2f;
  static final float TAGS_WEIGHT = 1f;

  static final String ID = "id";
  static final String PROGRAM = "program";
  static final String TYPE = "type";
  static final String CATEGORY = "category";
  static final String LANGUAGE = "language";
  static final String PUBLISHED = "published";
  /** The program's kind (SERIES, SHOW, PODCAST, MOVIE); an episode has its program's. */
  static final String KIND = "kind";
  /** The genres, lower case (several per document). */
  static final String GENRE = "genre";
  /** The effective age rating; absent for unrated documents. */
  static final String RATING = "rating";
  static final String SOURCE = "source";
  /** Whole words of titles and tags: typo correction. */
  static final String WORDS = "words";
  /** Whole words of titles: suggestions. */
  static final String TITLE_WORDS = "title_words";
  /** The suffixes of the analysed text fields ({@code title.en}, {@code title.ar}, ...). */
  static final String EN = ".en";
  static final String AR = ".ar";

  private Schema() {
  }

  /** Each language's text fields analysed with its chain; every other field keeps words whole. */
  static Analyzer analyzer() {
    Map<String, Analyzer> perField = new LinkedHashMap<>();
    for (String field : List.of("title", "description", "tags")) {
      perField.put(field + EN, TextAnalysis.ENGLISH);
      perField.put(field + AR, TextAnalysis.ARABIC);
    }
    return new PerFieldAnalyzerWrapper(TextAnalysis.WORDS, perField);
  }

  static Document document(IndexedDocument d) {
    Document doc = new Document();
    String id = d.id().toString();
    doc.add(new StringField(ID, id, Field.Store.NO));
    doc.add(new SortedDocValuesField(ID, new BytesRef(id)));
    if (d.programId() != null) {
      doc.add(new StringField(PROGRAM, d.programId().toString(), Field.Store.NO));
      doc.add(new SortedDocValuesField(PROGRAM, new BytesRef(d.programId().toString())));
    }
    doc.add(new SortedDocValuesField(TYPE, new BytesRef(d.type())));
    if (d.category() != null) {
      doc.add(new SortedDocValuesField(CATEGORY, new BytesRef(d.category())));
    }
    if (d.language() != null) {
      doc.add(new SortedDocValuesField(LANGUAGE, new BytesRef(d.language())));
    }
    if (d.publishedAt() != null) {
      doc.add(new NumericDocValuesField(PUBLISHED, micros(d.publishedAt())));
    }
    if (d.rating() != null) {
      doc.add(new NumericDocValuesField(RATING, d.rating()));
    }
    if (d.kind() != null) {
      doc.add(new SortedDocValuesField(KIND, new BytesRef(d.kind())));
    }
    for (String genre : d.genres()) {
      doc.add(new SortedSetDocValuesField(GENRE, new BytesRef(genre)));
    }
    String lang = TextAnalysis.arabic(d.language()) ? AR : EN;
    doc.add(new TextField("title" + lang, d.title(), Field.Store.NO));
    doc.add(new TextField(TITLE_WORDS, d.title(), Field.Store.NO));
    doc.add(new TextField(WORDS, d.title(), Field.Store.NO));
    if (d.description() != null) {
      doc.add(new TextField("description" + lang, d.description(), Field.Store.NO));
    }
    for (String tag : d.tags()) {
      doc.add(new TextField("tags" + lang, tag, Field.Store.NO));
      doc.add(new TextField(WORDS, tag, Field.Store.NO));
    }
    // doc values, not stored fields: a stored field is read by decompressing its whole block, the most of a
    // search's time when it was one
    doc.add(new BinaryDocValuesField(SOURCE, new BytesRef(d.source().encode())));
    return doc;
  }

  /** A publication time as {@link #PUBLISHED} holds it: microseconds since the epoch, as PostgreSQL keeps it. */
  static long micros(Instant publishedAt) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, publishedAt);
  }

  /** The publication time {@link #PUBLISHED} holds, {@link Long#MIN_VALUE} (as collected when absent) for none. */
  static Instant published(long micros) {
    return micros == Long.MIN_VALUE ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /**
   * The sources ({@link IndexedDocument#source}) of the documents {@code docs} of {@code reader}, in that order: read
   * in doc order, with one doc-values iterator per segment (one per hit cost 6 GB of garbage in a 20 s search load).
   */
  static JsonObject[] sources(IndexReader reader, int[] docs) throws IOException {
    Integer[] order = new Integer[docs.length];
    for (int i = 0; i < docs.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> docs[i]));
    JsonObject[] out = new JsonObject[docs.length];
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = null;
    BinaryDocValues values = null;
    for (int i : order) {
      int doc = docs[i];
      if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
        leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        values = DocValues.getBinary(leaf.reader(), SOURCE);
      }
      if (!values.advanceExact(doc - leaf.docBase)) {
        throw new IllegalStateException("document " + doc + " has no source");
      }
      BytesRef bytes = values.binaryValue();
      out[i] = new JsonObject(new String(bytes.bytes, bytes.offset, bytes.length, StandardCharsets.UTF_8));
    }
    return out;
  }
}
