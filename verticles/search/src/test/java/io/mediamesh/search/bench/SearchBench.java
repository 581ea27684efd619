package io.mediamesh.search.bench;

import io.mediamesh.common.api.SearchApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.search.SearchModule;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.mediamesh.common.db.Databases;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The search benchmark (issue 7): not part of the test suite (run by {@code bench/search.sh}). It loads synthetic
 * published programs and episodes, mixed English and Arabic, through the event path (content and metadata events
 * on Kafka, as the CMS and metadata services would write them), then measures indexing throughput, publish to
 * searchable lag, and search latency and throughput at 16 concurrent callers over the event bus.
 * Results go to {@code bench/results/search.txt} (relative to the repository root) and to stdout.
 */
@ExtendWith(InfraExtension.class)
class SearchBench {

  private static final int ITEMS = Integer.getInteger("bench.items", 100_000);
  /** The engine answering queries: lucene (the default) or postgres. */
  private static final String ENGINE = System.getProperty("bench.engine", "lucene");
  private static final int PROGRAMS = ITEMS / 10;
  private static final int LAG_SAMPLES = Integer.getInteger("bench.lagSamples", 300);
  private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);
  /** The service's setting unless given (one consumer per partition). */
  private static final Integer INDEX_CONSUMERS = Integer.getInteger("bench.indexConsumers");
  private static final int SEARCH_SECONDS = Integer.getInteger("bench.searchSeconds", 20);
  private static final Random RANDOM = new Random(7);

  private static final String[] EN = ("news world live story night city music family kitchen history science "
    + "football market journey river mountain ocean island desert forest garden winter summer morning evening "
    + "culture travel health money politics election economy climate energy technology future planet wildlife "
    + "documentary interview comedy drama mystery crime detective doctor school student teacher village harbour "
    + "festival concert theatre cinema portrait legend empire kingdom revolution frontier voyage discovery secret "
    + "shadow light silence thunder storm fire water stone glass iron silver golden ancient modern hidden lost "
    + "broken wild quiet bright dark deep high long short early late young old brave free open").split(" ");
  private static final String[] AR = ("الأخبار العالم مباشر قصة الليل المدينة الموسيقى العائلة المطبخ التاريخ العلوم "
    + "كرة القدم السوق رحلة النهر الجبل المحيط الجزيرة الصحراء الغابة الحديقة الشتاء الصيف الصباح المساء الثقافة "
    + "السفر الصحة المال السياسة الانتخابات الاقتصاد المناخ الطاقة التكنولوجيا المستقبل الكوكب الحياة البرية "
    + "وثائقي مقابلة كوميديا دراما لغز جريمة المحقق الطبيب المدرسة الطالب المعلم القرية الميناء المهرجان "
    + "الحفل المسرح السينما أسطورة إمبراطورية مملكة ثورة الحدود اكتشاف سر الظل النور الصمت العاصفة النار الماء")
    .split(" ");
  /** The corpus' words: the real ones above first (the most frequent), then generated ones, drawn by Zipf's law. */
  private static final Vocabulary EN_WORDS = Vocabulary.english(EN, 8_000);
  private static final Vocabulary AR_WORDS = Vocabulary.arabic(AR, 4_000);
  private static final String[] KINDS = {"common", "rare", "typo", "prefix"};
  private static final String[] CATEGORIES = {"NEWS", "DOCUMENTARY", "SPORTS", "MUSIC", "PODCAST", "TV_SHOW",
    "ENTERTAINMENT", "EDUCATIONAL"};

  @Test
  void run(TestInfra infra) throws Exception {
    JsonObject search = new JsonObject().put("engine", ENGINE);
    if (INDEX_CONSUMERS != null) {
      search.put("indexConsumers", INDEX_CONSUMERS);
    }
    PlatformConfig config = infra.platformConfig(new JsonObject().put("services", new JsonObject().put("search",
      search)));
    Platform platform = Await.result(Platform.start(config, List.of(SearchModule::new)));
    Vertx vertx = platform.vertx();
    BusClient bus = new BusClient(vertx, 30_000);
    Pool pool = Databases.pool(vertx, config.pg(), config.service("search").database());
    StringBuilder report = new StringBuilder();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
      "bootstrap.servers", infra.kafka().bootstrapServers(), "linger.ms", "5", "batch.size", "262144",
      "compression.type", "lz4"), new StringSerializer(), new ByteArraySerializer())) {

      // 1. bulk load through Kafka, timed until every document is indexed
      List<UUID> programs = new ArrayList<>();
      long start = System.nanoTime();
      int events = 0;
      for (int i = 0; i < PROGRAMS; i++) {
        UUID id = UUID.randomUUID();
        programs.add(id);
        boolean arabic = RANDOM.nextInt(3) == 0;
        send(producer, Topics.CONTENT, content(id, null, arabic, i));
        send(producer, Topics.METADATA, metadata(id, arabic));
        events += 2;
      }
      for (int i = PROGRAMS; i < ITEMS; i++) {
        UUID program = programs.get(RANDOM.nextInt(programs.size()));
        send(producer, Topics.CONTENT, content(UUID.randomUUID(), program, RANDOM.nextInt(3) == 0, i));
        events++;
      }
      producer.flush();
      long produced = System.nanoTime();
      awaitDocuments(pool, ITEMS, Duration.ofMinutes(5));
      double seconds = (System.nanoTime() - start) / 1e9;
      line(report, "engine: %s; items: %d (%d programs, %d episodes), events: %d (with %d metadata events)", ENGINE,
        ITEMS, PROGRAMS, ITEMS - PROGRAMS, events, PROGRAMS);
      line(report, "produce: %.1f s; indexed all: %.1f s after the first event -> indexing %.0f events/s "
        + "(target >= 2000)", (produced - start) / 1e9, seconds, events / seconds);

      // 2. publish -> searchable lag, one item at a time, found through the search API
      long[] lags = new long[LAG_SAMPLES];
      for (int i = 0; i < LAG_SAMPLES; i++) {
        String marker = "zq" + Long.toString(Math.abs(RANDOM.nextLong()), 36).replaceAll("[0-9]", "x");
        JsonObject data = content(UUID.randomUUID(), null, false, i);
        data.put("title", data.getString("title") + " " + marker);
        long sent = System.nanoTime();
        send(producer, Topics.CONTENT, data);
        producer.flush();
        Await.until("lag sample " + i, Duration.ofSeconds(10), () -> Await.result(bus.<JsonObject>request(
          SearchApi.QUERY, new JsonObject().put("q", marker), Caller.anonymous())).getLong("total") > 0);
        lags[i] = (System.nanoTime() - sent) / 1_000_000;
      }
      Arrays.sort(lags);
      line(report, "publish -> searchable lag over %d items: p50 %d ms, p99 %d ms, max %d ms (target p99 <= 500 ms)",
        LAG_SAMPLES, pct(lags, 50), pct(lags, 99), lags[lags.length - 1]);

      // 3. search load: common words, rare words, typos and prefixes from 16 callers
      for (int warm = 0; warm < 2; warm++) {
        load(vertx, bus, 5);
      }
      Samples samples = load(vertx, bus, SEARCH_SECONDS);
      long[] latencies = samples.all();
      line(report, "search, %d concurrent callers over the event bus, %d s: %d queries, %.0f queries/s, "
        + "p50 %.2f ms, p99 %.2f ms (target >= 1000 q/s, p99 <= 30 ms)", CONCURRENCY, SEARCH_SECONDS,
        latencies.length, latencies.length / (double) SEARCH_SECONDS, pct(latencies, 50) / 1000.0,
        pct(latencies, 99) / 1000.0);
      for (int kind = 0; kind < KINDS.length; kind++) {
        long[] of = samples.of(kind);
        line(report, "  %-6s %6d queries, p50 %.2f ms, p99 %.2f ms", KINDS[kind], of.length, pct(of, 50) / 1000.0,
          pct(of, 99) / 1000.0);
      }

      // 4. the yardstick, in the same run: raw Lucene over the same documents, no bus, no cache
      double service = latencies.length / (double) SEARCH_SECONDS;
      try (RawLucene raw = RawLucene.of(pool)) {
        for (int warm = 0; warm < 2; warm++) {
          raw.load(CONCURRENCY, 5, EN_WORDS, AR_WORDS);
        }
        long[] rawLatencies = raw.load(CONCURRENCY, SEARCH_SECONDS, EN_WORDS, AR_WORDS);
        double rawRate = rawLatencies.length / (double) SEARCH_SECONDS;
        line(report, "raw Lucene (IndexSearcher over the same %d documents, same query mix, %d threads, no bus, "
          + "no cache, no facets or highlights), %d s: %.0f queries/s, p50 %.2f ms, p99 %.2f ms", raw.documents(),
          CONCURRENCY, SEARCH_SECONDS, rawRate, pct(rawLatencies, 50) / 1000.0, pct(rawLatencies, 99) / 1000.0);
        line(report, "service / raw Lucene: %.2f of the throughput", service / rawRate);
      }
    } finally {
      pool.close();
      Await.result(platform.close());
    }
    System.out.println(report);
    Path out = Path.of(System.getProperty("bench.out", "../../bench/results/search.txt"));
    write(out, "# bench/search.sh, " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
      + " cores, java " + System.getProperty("java.version") + "\n" + report);
  }

  /** Latencies in µs, per kind of query, from every caller. */
  private static final class Samples {
    private final List<List<Long>> byKind = new ArrayList<>();

    Samples() {
      for (int i = 0; i < KINDS.length; i++) {
        byKind.add(new ArrayList<>());
      }
    }

    synchronized void add(int kind, long micros) {
      byKind.get(kind).add(micros);
    }

    synchronized long[] of(int kind) {
      return byKind.get(kind).stream().mapToLong(Long::longValue).sorted().toArray();
    }

    synchronized long[] all() {
      return byKind.stream().flatMap(List::stream).mapToLong(Long::longValue).sorted().toArray();
    }
  }

  /** Runs the query mix from {@code CONCURRENCY} loops for {@code seconds}. */
  private Samples load(Vertx vertx, BusClient bus, int seconds) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicBoolean failed = new AtomicBoolean();
    Samples samples = new Samples();
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < CONCURRENCY; c++) {
      Promise<Void> done = Promise.promise();
      Random r = new Random(c);
      vertx.runOnContext(v -> next(bus, r, end, samples, failed, done));
      loops.add(done.future());
    }
    Await.result(Future.all(loops), Duration.ofSeconds(seconds + 60L));
    if (failed.get()) {
      throw new IllegalStateException("a search failed during the load");
    }
    return samples;
  }

  private void next(BusClient bus, Random r, long end, Samples samples, AtomicBoolean failed, Promise<Void> done) {
    if (System.nanoTime() > end) {
      done.complete();
      return;
    }
    Operation<?> address = SearchApi.QUERY;
    JsonObject query;
    int kind = r.nextInt(KINDS.length);
    Vocabulary words = r.nextInt(3) == 0 ? AR_WORDS : EN_WORDS;
    switch (kind) {
      case 0 -> query = new JsonObject().put("q", words.rank(r.nextInt(100)));             // common: top 100
      case 1 -> query = new JsonObject().put("q", words.rank(1_000 + r.nextInt(words.size() - 1_000))); // rare
      case 2 -> query = new JsonObject().put("q", typo(words.draw(r), r));                // a typo of any word
      default -> {
        address = SearchApi.SUGGEST;                                                      // prefix, as typed
        String word = words.draw(r);
        query = new JsonObject().put("q", word.substring(0, Math.min(word.length(), 3 + r.nextInt(2))));
      }
    }
    if (kind < 3 && r.nextInt(4) == 0) {
      query.put("category", CATEGORIES[r.nextInt(CATEGORIES.length)]);
    }
    long t0 = System.nanoTime();
    bus.<JsonObject>request(address, query, Caller.anonymous()).onComplete(ar -> {
      samples.add(kind, (System.nanoTime() - t0) / 1000);
      if (ar.failed()) {
        failed.set(true);
      }
      next(bus, r, end, samples, failed, done);
    });
  }

  static String typo(String word, Random r) {
    if (word.length() < 5) {
      return word;
    }
    int at = 1 + r.nextInt(word.length() - 2);
    char replacement = word.charAt(0) < 128 ? (char) ('a' + r.nextInt(26)) : 'ب';
    return word.substring(0, at) + replacement + word.substring(at + 1);
  }

  private static JsonObject content(UUID id, UUID programId, boolean arabic, int n) {
    JsonObject d = new JsonObject()
      .put("id", id.toString())
      .put("contentType", programId == null ? "PROGRAM" : "EPISODE")
      .put("title", words(arabic, 3 + RANDOM.nextInt(6)))
      .put("description", words(arabic, 20 + RANDOM.nextInt(40)))
      .put("status", "PUBLISHED")
      .put("publishedAt", Instant.now().minusSeconds(RANDOM.nextInt(10_000_000)).toString())
      .put("version", 2);
    if (programId != null) {
      d.put("programId", programId.toString()).put("seasonNumber", 1 + n % 5).put("episodeNumber", n)
        .put("durationSeconds", 600 + RANDOM.nextInt(3000));
    }
    return d;
  }

  private static JsonObject metadata(UUID contentId, boolean arabic) {
    JsonArray tags = new JsonArray();
    for (int i = 0; i < 3; i++) {
      tags.add(EN_WORDS.draw(RANDOM));
    }
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("contentId", contentId.toString())
      .put("contentType", "PROGRAM").put("title", "t").put("category", CATEGORIES[RANDOM.nextInt(CATEGORIES.length)])
      .put("language", arabic ? "ar" : "en").put("tags", tags).put("version", 1);
  }

  /** Words drawn from the language's vocabulary by Zipf's law, as in real text. */
  private static String words(boolean arabic, int count) {
    Vocabulary vocabulary = arabic ? AR_WORDS : EN_WORDS;
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < count; i++) {
      s.append(i == 0 ? "" : " ").append(vocabulary.draw(RANDOM));
    }
    return s.toString();
  }

  private static void send(KafkaProducer<String, byte[]> producer, String topic, JsonObject data) {
    String type = topic.equals(Topics.CONTENT) ? "content.published" : "metadata.created";
    EventEnvelope e = EventEnvelope.create(type, "bench", data.getString("id"), data);
    producer.send(new ProducerRecord<>(topic, e.subject(), e.encode().getBytes()));
  }

  /**
   * Waits until the index holds {@code count} documents, counting twice a second: the count scans the table, and
   * the tests' 25 ms poll took a quarter of a core from the indexing it measures.
   */
  private static void awaitDocuments(Pool pool, long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (documents(pool) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not all documents were indexed within " + timeout);
      }
      Thread.sleep(500);
    }
  }

  private static long documents(Pool pool) {
    return Await.result(pool.query("SELECT count(*) FROM documents").execute()).iterator().next().getLong(0);
  }

  private static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
  }

  private static void line(StringBuilder report, String format, Object... args) {
    String line = String.format(format, args);
    System.out.println(line);
    report.append(line).append('\n');
  }

  private static void write(Path out, String text) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, text);
  }
}
