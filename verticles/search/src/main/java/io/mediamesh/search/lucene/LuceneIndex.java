package io.mediamesh.search.lucene;

import io.mediamesh.common.api.SearchApi;
import io.mediamesh.search.engine.SearchResult;
import io.mediamesh.search.engine.Suggestions;
import io.vertx.core.json.JsonObject;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.MMapDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A Lucene index of the search documents, memory-mapped from a directory of its own, answering queries with the
 * PostgreSQL engine's rules at in-memory cost. Its parts: the fields of a document ({@link Schema}), the query
 * language ({@link WebQuery}), one pass over the matches for ranking, filters and facets ({@link Matches}),
 * highlights ({@link Highlighter}), typo correction and suggestions ({@link Spelling}). This class holds the
 * directory, its writer and its readers.
 * <p>
 * Thread-safe for readers; {@link #replace} and {@link #clear} are called by one writer at a time, and readers see
 * their work after {@link #publish}.
 */
final class LuceneIndex implements Closeable {

  private static final String PREFIX = "search-copy-";
  private static final Logger LOG = LoggerFactory.getLogger(LuceneIndex.class);

  private final Path path;
  private final Directory directory;
  private final Analyzer analyzer = Schema.analyzer();
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Spelling spelling = new Spelling();

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

  @Override
  public void close() throws IOException {
    searchers.close();
    writer.rollback();
    directory.close();
    delete(path);
  }

  // ---- writing

  /**
   * Makes the documents of {@code keys} (content ids; a program's id also stands for its episodes) exactly
   * {@code documents}: every document with such an id or program goes, then these come in.
   */
  void replace(Collection<UUID> keys, List<IndexedDocument> documents) throws IOException {
    List<Term> gone = new ArrayList<>(keys.size() * 2 + documents.size());
    for (UUID key : keys) {
      gone.add(new Term(Schema.ID, key.toString()));
      gone.add(new Term(Schema.PROGRAM, key.toString()));
    }
    // and each coming document's own id: an episode re-derived as its new program's may still be here under its
    // old one
    for (IndexedDocument d : documents) {
      gone.add(new Term(Schema.ID, d.id().toString()));
    }
    writer.deleteDocuments(gone.toArray(new Term[0]));
    add(documents);
  }

  void add(List<IndexedDocument> documents) throws IOException {
    List<Document> docs = new ArrayList<>(documents.size());
    for (IndexedDocument d : documents) {
      docs.add(Schema.document(d));
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

  // ---- reading

  /** What a read does with the searcher of the moment. */
  @FunctionalInterface
  private interface Read<T> {
    T on(IndexSearcher searcher) throws IOException;
  }

  private <T> T reading(Read<T> read) throws IOException {
    IndexSearcher s = searchers.acquire();
    try {
      return read.on(s);
    } finally {
      searchers.release(s);
    }
  }

  int size() throws IOException {
    return reading(s -> s.getIndexReader().numDocs());
  }

  /** The page of ranked hits {@code query} asks for, with highlights, total and facets. */
  SearchResult search(SearchApi.Query query) throws IOException {
    WebQuery parsed = WebQuery.parse(query.q(), analyzer);
    int from = query.page() * query.size();
    return reading(s -> {
      Matches matches = Matches.collect(s, parsed.query(), query, from + query.size());
      List<Hit> ranked = matches.ranked();
      int[] docs = new int[Math.max(0, ranked.size() - from)];
      for (int i = 0; i < docs.length; i++) {
        docs[i] = ranked.get(from + i).doc();
      }
      JsonObject[] sources = Schema.sources(s.getIndexReader(), docs);
      List<SearchResult.Hit> items = new ArrayList<>(docs.length);
      for (int i = 0; i < docs.length; i++) {
        items.add(hit(sources[i], ranked.get(from + i), parsed));
      }
      return new SearchResult(items, query.page(), query.size(), matches.total, new SearchResult.Facets(
        matches.types.counts(), matches.categories.counts(), matches.languages.counts(), matches.kinds.counts(),
        matches.genres.counts()));
    });
  }

  /** A hit of {@code source}, ranked as {@code ranked} (whose time is the source's, without parsing it). */
  private static SearchResult.Hit hit(JsonObject source, Hit ranked, WebQuery query) throws IOException {
    String language = source.getString("language");
    String title = source.getString("title");
    String description = source.getString("description");
    String programId = source.getString("programId");
    return new SearchResult.Hit(UUID.fromString(source.getString("id")), source.getString("type"), title,
      description, Highlighter.highlight(language, title, description, query), source.getString("category"),
      language, programId == null ? null : UUID.fromString(programId), source.getString("thumbnailKey"),
      Schema.published(ranked.published()), Math.round(ranked.score() * 1e6) / 1e6);
  }

  /** The query's words with each unknown one replaced by its nearest known word, or null when none changes. */
  String correct(String q) throws IOException {
    return reading(s -> spelling.correct(s.getIndexReader(), q));
  }

  /** Titles with every word of {@code q}, the last as a prefix: programs first, then the newest. */
  Suggestions suggest(String q, int limit, Integer ageLimit) throws IOException {
    return reading(s -> spelling.suggest(s, q, limit, ageLimit));
  }
}
