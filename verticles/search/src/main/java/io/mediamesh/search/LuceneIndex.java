package io.mediamesh.search;

import io.mediamesh.common.readmodel.MediaUrls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.sandbox.search.CombinedFieldQuery;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.MMapDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;

/**
 * A Lucene index of the search documents, memory-mapped from a directory of its own, answering queries with the PostgreSQL engine's rules
 * (see {@link PostgresSearchEngine}) at in-memory cost:
 * <ul>
 *   <li>Title, description and tags are analysed with the document's language ({@link TextAnalysis}); a query is
 *   read as web search ({@link #units}: phrases, exclusions, alternatives) and analysed both ways, and a document
 *   matches when its language's reading does: every required term in its title, description or tags.</li>
 *   <li>Ranking is BM25F: each term's frequencies in title, description and tags are combined with the weights
 *   {@value #TITLE_WEIGHT}, {@value #DESCRIPTION_WEIGHT} and {@value #TAGS_WEIGHT} and scored as one field, so the
 *   title weighs most however rare the word is in descriptions; ties go to the newest. Every match is ranked (no
 *   window is needed in memory).</li>
 *   <li>One pass over the matches counts the facets, each over the query and the other filters, not its own.</li>
 *   <li>Highlights wrap matched words in {@code <em>}, the rest HTML-escaped: the whole title when it matches,
 *   otherwise a fragment of the description around the first match.</li>
 *   <li>Typos: a word no title or tag has is replaced by the nearest that one has (one edit, two past six
 *   letters, transpositions counting as one), the most frequent on a tie.</li>
 * </ul>
 * Thread-safe for readers; {@link #replace} and {@link #clear} are called by one writer at a time, and readers see
 * their work after {@link #publish}.
 */
final class LuceneIndex implements Closeable {

  /** Field weights in BM25F, as PostgreSQL's A, B and C weights (1, 0.4, 0.2): at least 1 each. */
  static final float TITLE_WEIGHT = 5f;
  static final float DESCRIPTION_WEIGHT = 2f;
  static final float TAGS_WEIGHT = 1f;

  private static final String ID = "id";
  private static final String PROGRAM = "program";
  private static final String TYPE = "type";
  private static final String CATEGORY = "category";
  private static final String LANGUAGE = "language";
  private static final String PUBLISHED = "published";
  private static final String SOURCE = "source";
  /** Whole words of titles and tags: typo correction. */
  private static final String WORDS = "words";
  /** Whole words of titles: suggestions. */
  private static final String TITLE_WORDS = "title_words";
  private static final String EN = ".en";
  private static final String AR = ".ar";
  private static final int FRAGMENT_WORDS = 30;
  private static final int FRAGMENT_LEAD = 5;
  private static final Sort SUGGEST_ORDER = suggestOrder();
  private static final String PREFIX = "search-copy-";
  private static final Logger LOG = LoggerFactory.getLogger(LuceneIndex.class);

  private final Path path;
  private final Directory directory;
  private final Analyzer analyzer;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final DirectSpellChecker oneEdit = speller(1);
  private final DirectSpellChecker twoEdits = speller(2);

  /**
   * A new, empty index in a directory of its own under {@code parent} (memory-mapped: the files stay in the page
   * cache, off the heap; the heap-backed directory duplicated every buffer of a file per query, 12 GB of garbage in
   * a 25 s search load). The directory is deleted on {@link #close}.
   */
  LuceneIndex(Path parent) {
    try {
      Files.createDirectories(parent);
      path = Files.createTempDirectory(parent, PREFIX);
      directory = new MMapDirectory(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Analyzer> perField = new LinkedHashMap<>();
    for (String field : List.of("title", "description", "tags")) {
      perField.put(field + EN, TextAnalysis.ENGLISH);
      perField.put(field + AR, TextAnalysis.ARABIC);
    }
    analyzer = new PerFieldAnalyzerWrapper(TextAnalysis.WORDS, perField);
    try {
      writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE).setRAMBufferSizeMB(32).setCommitOnClose(false));
      searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the writer failed for good (a tragic error): this copy can take no more changes. */
  boolean broken() {
    return writer.getTragicException() != null || !writer.isOpen();
  }

  /**
   * Deletes the copies under {@code parent} that no writer holds (left by instances that died) and are older than a
   * minute (not one being made this moment).
   */
  static void sweep(Path parent) throws IOException {
    if (!Files.isDirectory(parent)) {
      return;
    }
    long minuteAgo = System.currentTimeMillis() - 60_000;
    try (DirectoryStream<Path> copies = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path copy : copies) {
        if (Files.getLastModifiedTime(copy).toMillis() > minuteAgo) {
          continue;
        }
        try (Directory d = FSDirectory.open(copy); Lock unused = d.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
          LOG.info("deleting an abandoned search copy: {}", copy);
        } catch (LockObtainFailedException inUse) {
          continue;
        }
        delete(copy);
      }
    }
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

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

  // ---- writing

  /**
   * Makes the documents of {@code keys} (content ids; a program's id also stands for its episodes) exactly
   * {@code documents}: every document with such an id or program goes, then these come in.
   */
  void replace(Collection<UUID> keys, List<IndexedDocument> documents) throws IOException {
    List<Term> gone = new ArrayList<>(keys.size() * 2 + documents.size());
    for (UUID key : keys) {
      gone.add(new Term(ID, key.toString()));
      gone.add(new Term(PROGRAM, key.toString()));
    }
    // and each coming document's own id: an episode re-derived as its new program's may still be here under its
    // old one
    for (IndexedDocument d : documents) {
      gone.add(new Term(ID, d.id().toString()));
    }
    writer.deleteDocuments(gone.toArray(new Term[0]));
    add(documents);
  }

  void add(List<IndexedDocument> documents) throws IOException {
    List<Document> docs = new ArrayList<>(documents.size());
    for (IndexedDocument d : documents) {
      docs.add(document(d));
    }
    writer.addDocuments(docs);
  }

  void clear() throws IOException {
    writer.deleteAll();
  }

  /** Readers see everything written so far. */
  void publish() throws IOException {
    searchers.maybeRefreshBlocking();
  }

  private static Document document(IndexedDocument d) {
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
      doc.add(new NumericDocValuesField(PUBLISHED, ChronoUnit.MICROS.between(java.time.Instant.EPOCH, d.publishedAt())));
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

  // ---- reading

  int size() throws IOException {
    IndexSearcher s = searchers.acquire();
    try {
      return s.getIndexReader().numDocs();
    } finally {
      searchers.release(s);
    }
  }

  /** The query's two readings: its terms as English and as Arabic, and the query matching either. */
  private record Parsed(Set<String> english, Set<String> arabic, Query query) {

    Set<String> terms(String language) {
      return TextAnalysis.arabic(language) ? arabic : english;
    }
  }

  /** A word or a "quoted phrase" of a query, maybe -excluded. */
  record Unit(String text, boolean phrase, boolean excluded) {
  }

  /**
   * The query as web search reads it, as PostgreSQL's {@code websearch_to_tsquery} does: words are all required,
   * {@code "quoted words"} are a phrase, {@code -word} (or {@code -"phrase"}) is excluded, and {@code or} between
   * two parts makes them alternatives; anything else is text, never a syntax error.
   */
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

  private Parsed parse(String q) {
    List<List<Unit>> alternatives = units(q);
    Set<String> english = new LinkedHashSet<>();
    Set<String> arabic = new LinkedHashSet<>();
    BooleanQuery.Builder either = new BooleanQuery.Builder();
    reading(either, alternatives, TextAnalysis.ENGLISH, EN, english);
    reading(either, alternatives, TextAnalysis.ARABIC, AR, arabic);
    return new Parsed(english, arabic, either.build());
  }

  /**
   * The query as one language reads it, over that language's documents: each alternative requires its terms (each
   * in the title, description or tags) and phrases, and excludes its excluded ones. Adds the required terms to
   * {@code shown} (highlights). A part made only of stop words asks nothing, as in an empty tsquery.
   */
  private void reading(BooleanQuery.Builder either, List<List<Unit>> alternatives, Analyzer chain, String lang,
                       Set<String> shown) {
    for (List<Unit> alternative : alternatives) {
      BooleanQuery.Builder all = new BooleanQuery.Builder();
      int required = 0;
      int excluded = 0;
      for (Unit unit : alternative) {
        List<String> terms = TextAnalysis.terms(chain, "title" + lang, unit.text());
        List<Query> parts = new ArrayList<>();
        if (unit.phrase() && terms.size() > 1) {
          parts.add(phrase(unit.text(), lang));
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
  private Query phrase(String text, String lang) {
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

  /** Ranked hits with highlights, total and facets: the reply shape of {@code SearchApi.QUERY}. */
  JsonObject search(SearchQuery query, MediaUrls urls) throws IOException {
    Parsed parsed = parse(query.q());
    int from = query.page() * query.size();
    IndexSearcher s = searchers.acquire();
    try {
      Matches matches = new Matches(query, from + query.size());
      s.search(parsed.query(), new CollectorManager<Matches, Matches>() {
        @Override
        public Matches newCollector() {
          return matches; // a searcher without an executor asks once
        }

        @Override
        public Matches reduce(Collection<Matches> collectors) {
          return matches;
        }
      });
      List<Hit> ranked = matches.ranked();
      int[] docs = new int[Math.max(0, ranked.size() - from)];
      for (int i = 0; i < docs.length; i++) {
        docs[i] = ranked.get(from + i).doc;
      }
      JsonObject[] sources = sources(s.getIndexReader(), docs);
      JsonArray items = new JsonArray();
      for (int i = from; i < ranked.size(); i++) {
        Hit hit = ranked.get(i);
        JsonObject item = sources[i - from];
        item.put("highlight", highlight(item, parsed));
        item.put("thumbnailUrl", urls.url((String) item.remove("thumbnailKey")));
        item.put("score", Math.round(hit.score * 1e6) / 1e6);
        items.add(item);
      }
      return new JsonObject()
        .put("items", items)
        .put("page", query.page())
        .put("size", query.size())
        .put("total", matches.total)
        .put("facets", new JsonObject()
          .put("type", matches.types.counts())
          .put("category", matches.categories.counts())
          .put("language", matches.languages.counts()));
    } finally {
      searchers.release(s);
    }
  }

  /** The query's words with each unknown one replaced by its nearest known word, or null when none changes. */
  String correct(String q) throws IOException {
    IndexSearcher s = searchers.acquire();
    try {
      IndexReader reader = s.getIndexReader();
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
    } finally {
      searchers.release(s);
    }
  }

  /** Titles with every word of {@code q}, the last as a prefix: programs first, then the newest. */
  JsonObject suggest(String q, int limit) throws IOException {
    List<String> words = TextAnalysis.terms(TextAnalysis.WORDS, TITLE_WORDS, q);
    JsonArray items = new JsonArray();
    if (words.isEmpty()) {
      return new JsonObject().put("items", items);
    }
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (int i = 0; i < words.size() - 1; i++) {
      all.add(new TermQuery(new Term(TITLE_WORDS, words.get(i))), Occur.FILTER);
    }
    all.add(new PrefixQuery(new Term(TITLE_WORDS, words.get(words.size() - 1))), Occur.FILTER);
    IndexSearcher s = searchers.acquire();
    try {
      ScoreDoc[] hits = s.search(all.build(), limit, SUGGEST_ORDER).scoreDocs;
      int[] docs = new int[hits.length];
      for (int i = 0; i < hits.length; i++) {
        docs[i] = hits[i].doc;
      }
      for (JsonObject source : sources(s.getIndexReader(), docs)) {
        items.add(new JsonObject().put("id", source.getString("id")).put("type", source.getString("type"))
          .put("title", source.getString("title")));
      }
      return new JsonObject().put("items", items);
    } finally {
      searchers.release(s);
    }
  }

  /**
   * The fields each hit shows, of the documents {@code docs} of {@code reader}, in that order: read in doc order,
   * with one doc-values iterator per segment (one per hit cost 6 GB of garbage in a 20 s search load).
   */
  private static JsonObject[] sources(IndexReader reader, int[] docs) throws IOException {
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

  // ---- highlights

  private String highlight(JsonObject source, Parsed parsed) throws IOException {
    String language = source.getString("language");
    Analyzer chain = TextAnalysis.arabic(language) ? TextAnalysis.ARABIC : TextAnalysis.ENGLISH;
    Set<String> terms = parsed.terms(language);
    String title = source.getString("title");
    StringBuilder out = new StringBuilder();
    if (!terms.isEmpty() && mark(chain, title, terms, Integer.MAX_VALUE, out) == terms.size()) {
      return out.toString(); // the title has the whole query, as PostgreSQL's highlight asks
    }
    String description = source.getString("description");
    out.setLength(0);
    mark(chain, description == null ? title : description, terms, FRAGMENT_WORDS, out);
    return out.toString();
  }

  /**
   * Appends {@code text} (at most {@code maxWords} of it, around the first match), HTML-escaped, with every word
   * whose term is one of {@code terms} in {@code <em>}; how many of the terms it has.
   */
  private static int mark(Analyzer chain, String text, Set<String> terms, int maxWords, StringBuilder out)
    throws IOException {
    List<int[]> words = new ArrayList<>(); // start, end, matched
    Set<String> found = new HashSet<>();
    int first = -1;
    try (TokenStream ts = chain.tokenStream("highlight", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      // a fragment needs no words past the first match's window
      while (ts.incrementToken() && (first < 0 || words.size() < (long) first + maxWords)) {
        String t = term.toString();
        boolean matched = terms.contains(t);
        if (matched) {
          found.add(t);
        }
        if (matched && first < 0) {
          first = words.size();
        }
        words.add(new int[] {offset.startOffset(), offset.endOffset(), matched ? 1 : 0});
      }
      ts.end();
    }
    if (words.isEmpty()) {
      escape(text, 0, text.length(), out);
      return 0;
    }
    int startWord = 0;
    int endWord = words.size();
    if (words.size() > maxWords) {
      startWord = Math.max(0, Math.min(first - FRAGMENT_LEAD, words.size() - maxWords));
      endWord = startWord + maxWords;
    }
    int at = maxWords == Integer.MAX_VALUE ? 0 : words.get(startWord)[0];
    int end = maxWords == Integer.MAX_VALUE ? text.length() : words.get(endWord - 1)[1];
    for (int i = startWord; i < endWord; i++) {
      int[] w = words.get(i);
      if (w[2] == 1) {
        escape(text, at, w[0], out);
        out.append("<em>");
        escape(text, w[0], w[1], out);
        out.append("</em>");
        at = w[1];
      }
    }
    escape(text, at, end, out);
    return found.size();
  }

  private static void escape(String text, int from, int to, StringBuilder out) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
  }

  @Override
  public void close() throws IOException {
    searchers.close();
    writer.rollback();
    directory.close();
    delete(path);
  }

  // ---- one pass over the matches

  /**
   * A ranked match: score, then the newest, then the smallest id, as PostgreSQL orders them (not Lucene's document
   * number, which differs between instances and changes with every update, so pages served by different instances
   * would repeat or skip hits).
   */
  private record Hit(float score, long published, BytesRef id, int doc) implements Comparable<Hit> {
    @Override
    public int compareTo(Hit o) { // ascending = worse first
      int c = Float.compare(score, o.score);
      if (c == 0) {
        c = Long.compare(published, o.published);
      }
      return c != 0 ? c : o.id.compareTo(id);
    }
  }

  /** Counts of one facet, gathered per segment by ordinal and named at the end. */
  private static final class Facet {
    private final List<SortedDocValues> values = new ArrayList<>();
    private final List<int[]> counts = new ArrayList<>();

    int[] segment(SortedDocValues dv) {
      int[] c = new int[dv.getValueCount()];
      values.add(dv);
      counts.add(c);
      return c;
    }

    JsonObject counts() throws IOException {
      Map<String, Integer> total = new LinkedHashMap<>();
      for (int s = 0; s < values.size(); s++) {
        int[] c = counts.get(s);
        for (int ord = 0; ord < c.length; ord++) {
          if (c[ord] > 0) {
            total.merge(values.get(s).lookupOrd(ord).utf8ToString(), c[ord], Integer::sum);
          }
        }
      }
      JsonObject out = new JsonObject();
      total.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    }
  }

  /** Filters, facets, total and the best {@code wanted} matches, in one pass. */
  private static final class Matches implements Collector {
    private static final int ANY = -2;
    private static final int NONE = -3;

    private final SearchQuery query;
    private final int wanted;
    private final PriorityQueue<Hit> best = new PriorityQueue<>();
    final Facet types = new Facet();
    final Facet categories = new Facet();
    final Facet languages = new Facet();
    long total;

    Matches(SearchQuery query, int wanted) {
      this.query = query;
      this.wanted = wanted;
    }

    List<Hit> ranked() {
      List<Hit> out = new ArrayList<>(best);
      out.sort(java.util.Collections.reverseOrder());
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

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
      var reader = context.reader();
      SortedDocValues type = DocValues.getSorted(reader, TYPE);
      SortedDocValues category = DocValues.getSorted(reader, CATEGORY);
      SortedDocValues language = DocValues.getSorted(reader, LANGUAGE);
      SortedDocValues program = DocValues.getSorted(reader, PROGRAM);
      NumericDocValues published = DocValues.getNumeric(reader, PUBLISHED);
      SortedDocValues ids = DocValues.getSorted(reader, ID);
      int wantType = wanted(type, query.type());
      int wantCategory = wanted(category, query.category());
      int wantLanguage = wanted(language, query.language());
      int wantProgram = wanted(program, query.programId() == null ? null : query.programId().toString());
      int[] typeCounts = types.segment(type);
      int[] categoryCounts = categories.segment(category);
      int[] languageCounts = languages.segment(language);
      int base = context.docBase;
      return new LeafCollector() {
        private Scorable scorer;

        @Override
        public void setScorer(Scorable scorer) {
          this.scorer = scorer;
        }

        @Override
        public void collect(int doc) throws IOException {
          int t = ord(type, doc);
          int c = ord(category, doc);
          int l = ord(language, doc);
          boolean okType = passes(wantType, t);
          boolean okCategory = passes(wantCategory, c);
          boolean okLanguage = passes(wantLanguage, l);
          boolean okProgram = wantProgram == ANY || passes(wantProgram, ord(program, doc));
          if (okCategory && okLanguage && okProgram && t >= 0) {
            typeCounts[t]++;
          }
          if (okType && okLanguage && okProgram && c >= 0) {
            categoryCounts[c]++;
          }
          if (okType && okCategory && okProgram && l >= 0) {
            languageCounts[l]++;
          }
          if (!(okType && okCategory && okLanguage && okProgram)) {
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
          int better = Float.compare(score, worst.score);
          if (better == 0) {
            better = Long.compare(newest, worst.published);
          }
          BytesRef id = null;
          if (better == 0) { // the id decides, read only on such a tie
            id = id(doc);
            better = worst.id.compareTo(id);
          }
          if (better > 0) {
            best.poll();
            best.add(new Hit(score, newest, id != null ? id : id(doc), base + doc));
          }
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
}
