package io.mediamesh.search.bench;

import io.mediamesh.testkit.Await;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.MultiDocValues;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.BytesRef;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The search benchmark's yardstick: the documents the service indexed (read back from its table), indexed into a
 * plain Lucene index on disk with Lucene's own English and Arabic analyzers, and searched by threads calling an
 * {@link IndexSearcher} directly with the benchmark's query mix (top 20 by score, ids read from doc values). No bus,
 * no cache, no facets, no highlights: what the engine alone does on this machine in the same run.
 */
final class RawLucene implements Closeable {

  private static final Analyzer ENGLISH = new EnglishAnalyzer();
  private static final Analyzer ARABIC = new ArabicAnalyzer();

  private final Path dir;
  private final MMapDirectory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  private RawLucene(Path dir, MMapDirectory directory) throws IOException {
    this.dir = dir;
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    this.searcher = new IndexSearcher(reader);
  }

  static RawLucene of(Pool pool) throws IOException {
    Path dir = Files.createTempDirectory("raw-lucene");
    MMapDirectory directory = new MMapDirectory(dir);
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(ENGLISH).setRAMBufferSizeMB(64))) {
      for (Row row : Await.result(pool.query("SELECT id, title, description, language FROM documents").execute())) {
        boolean arabic = "ar".equals(row.getString("language"));
        String suffix = arabic ? "_ar" : "_en";
        Document doc = new Document();
        doc.add(new SortedDocValuesField("id", new BytesRef(row.getUUID("id").toString())));
        doc.add(new TextField("title" + suffix, row.getString("title"), Field.Store.NO));
        String description = row.getString("description");
        if (description != null) {
          doc.add(new TextField("description" + suffix, description, Field.Store.NO));
        }
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
    }
    return new RawLucene(dir, directory);
  }

  int documents() {
    return reader.numDocs();
  }

  /** Runs the query mix from {@code threads} threads for {@code seconds}; latencies in µs, sorted. */
  long[] load(int threads, int seconds, Vocabulary english, Vocabulary arabic) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Long>>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Random r = new Random(t);
        loops.add(pool.submit(() -> {
          List<Long> latencies = new ArrayList<>();
          while (System.nanoTime() < end) {
            Query query = next(r, english, arabic);
            long t0 = System.nanoTime();
            answer(query);
            latencies.add((System.nanoTime() - t0) / 1000);
          }
          return latencies;
        }));
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> loop : loops) {
        all.addAll(loop.get(seconds + 60L, TimeUnit.SECONDS));
      }
      return all.stream().sorted(Comparator.naturalOrder()).mapToLong(Long::longValue).toArray();
    } finally {
      pool.shutdownNow();
    }
  }

  /** The same mix as the service's load: common and rare words, a typo of any word, a prefix as typed. */
  private static Query next(Random r, Vocabulary english, Vocabulary arabic) throws IOException {
    int kind = r.nextInt(4);
    boolean isArabic = r.nextInt(3) == 0;
    Vocabulary words = isArabic ? arabic : english;
    String suffix = isArabic ? "_ar" : "_en";
    Analyzer analyzer = isArabic ? ARABIC : ENGLISH;
    return switch (kind) {
      case 0 -> words(analyzer, suffix, words.rank(r.nextInt(100)));
      case 1 -> words(analyzer, suffix, words.rank(1_000 + r.nextInt(words.size() - 1_000)));
      case 2 -> new FuzzyQuery(new Term("title" + suffix, SearchBench.typo(words.draw(r), r).toLowerCase()), 1);
      default -> {
        String word = words.draw(r);
        yield new PrefixQuery(new Term("title" + suffix,
          word.substring(0, Math.min(word.length(), 3 + r.nextInt(2))).toLowerCase()));
      }
    };
  }

  private static Query words(Analyzer analyzer, String suffix, String text) throws IOException {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    try (TokenStream ts = analyzer.tokenStream("title" + suffix, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        String t = term.toString();
        b.add(new BoostQuery(new TermQuery(new Term("title" + suffix, t)), 2f), BooleanClause.Occur.SHOULD);
        b.add(new TermQuery(new Term("description" + suffix, t)), BooleanClause.Occur.SHOULD);
      }
      ts.end();
    }
    return b.build();
  }

  private void answer(Query query) throws IOException {
    ScoreDoc[] hits = searcher.search(query, 20).scoreDocs;
    int[] docs = new int[hits.length];
    for (int i = 0; i < hits.length; i++) {
      docs[i] = hits[i].doc;
    }
    java.util.Arrays.sort(docs); // doc values are read forwards
    SortedDocValues ids = MultiDocValues.getSortedValues(reader, "id");
    for (int doc : docs) {
      if (ids.advanceExact(doc)) {
        ids.lookupOrd(ids.ordValue()).utf8ToString();
      }
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
    directory.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
