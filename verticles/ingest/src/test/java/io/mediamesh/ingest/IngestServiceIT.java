package io.mediamesh.ingest;

import io.mediamesh.common.bus.Operation;
import io.mediamesh.auth.AuthModule;
import io.mediamesh.cms.CmsModule;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.IngestApi;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.db.Databases;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.metadata.MetadataModule;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.TopicReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest with the real auth, CMS and metadata services beside it (talking only over the bus), on real PostgreSQL
 * and Kafka, importing fixture feeds served over HTTP from 127.0.0.1, which this class allowlists. Two ingest
 * instances share the database, as two cluster members would: jobs and schedules must still run once.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestServiceIT {

  static final String ADMIN_EMAIL = "root@mediamesh.test";
  static final String ADMIN_PASSWORD = "correct-horse-42";

  private Platform platform;
  private BusClient bus;
  private Caller editor;
  private FixtureServer sources;
  private Pool ingestDb;
  private TopicReader events;

  @BeforeAll
  void start(TestInfra infra) {
    PlatformConfig config = infra.platformConfig(new JsonObject()
      .put("admin", new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD))
      .put("auth", new JsonObject().put("argon2MemoryKib", 8192).put("argon2Iterations", 1)
        .put("serviceClients", new JsonObject().put("ingest", "it-ingest-secret-" + UUID.randomUUID())))
      .put("ingest", new JsonObject().put("allowedHosts", "127.0.0.1,localhost").put("maxAttempts", 3)
        .put("initialBackoffMs", 100).put("maxBackoffMs", 1000).put("pollIntervalMs", 100).put("leaseSeconds", 2)
        .put("minIntervalSeconds", 1)));
    platform = Await.result(Platform.start(config, List.of(AuthModule::new, CmsModule::new, MetadataModule::new,
      IngestModule::new, IngestModule::new)));
    bus = new BusClient(platform.vertx(), 10_000);
    Caller admin = login(ADMIN_EMAIL, ADMIN_PASSWORD, Role.ADMIN);
    call(AuthApi.USERS_CREATE, new JsonObject().put("email", "editor@mediamesh.test").put("password", "edit-0r-pass!")
      .put("displayName", "Eddie").put("role", "EDITOR"), admin);
    editor = login("editor@mediamesh.test", "edit-0r-pass!", Role.EDITOR);
    sources = new FixtureServer(platform.vertx())
      .file("/podcast.xml", "podcast.xml", "application/rss+xml")
      .file("/youtube.xml", "youtube.xml", "application/atom+xml")
      .file("/catalogue.json", "catalogue.json", "application/json")
      .file("/untitled.xml", "untitled.xml", "application/rss+xml")
      .file("/keyless.xml", "corpus/items-without-keys.xml", "application/rss+xml")
      .file("/hostile.xml", "corpus/hostile-markup.xml", "application/rss+xml");
    ingestDb = Databases.pool(platform.vertx(), config.pg(), config.service("ingest").database());
    events = new TopicReader(infra.kafka().bootstrapServers(), Topics.INGEST);
  }

  @AfterAll
  void stop() {
    events.close();
    sources.close();
    Await.result(platform.close());
  }

  private Caller login(String email, String password, Role role) {
    JsonObject tokens = call(AuthApi.LOGIN, new JsonObject().put("email", email).put("password", password),
      Caller.anonymous());
    JsonObject me = call(AuthApi.ME, new JsonObject(), new Caller("?", Set.of(role), tokens.getString("accessToken")));
    return new Caller(me.getString("id"), Set.of(role), tokens.getString("accessToken"));
  }

  private JsonObject call(Operation<?> address, JsonObject body, Caller caller) {
    return Await.result(bus.request(address, body, caller));
  }

  private JsonObject createJob(String type, String url) {
    return call(IngestApi.JOBS_CREATE, new JsonObject().put("sourceType", type).put("sourceUrl", url), editor);
  }

  private JsonObject awaitJob(String id, String status) {
    return Await.value("job " + id + " " + status, Duration.ofSeconds(30),
      () -> call(IngestApi.JOBS_GET, new JsonObject().put("id", id), editor),
      job -> job.getString("status").equals(status));
  }

  private JsonObject importOnce(String type, String url) {
    return awaitJob(createJob(type, url).getString("id"), "COMPLETED");
  }

  private List<JsonObject> episodes(String programId) {
    return call(CmsApi.EPISODE_LIST, new JsonObject().put("programId", programId).put("size", 100), editor)
      .getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  private JsonObject metadataOf(String contentId) {
    return call(MetadataApi.BY_CONTENT, new JsonObject().put("contentId", contentId), editor);
  }

  private List<EventEnvelope> eventsOf(String jobId, int count) {
    Await.until(count + " events of job " + jobId, Duration.ofSeconds(15),
      () -> events.poll().stream().filter(r -> jobId.equals(r.key())).count() >= count);
    return events.afterOutbox(platform, "ingest", Duration.ofSeconds(15)).stream().filter(r -> jobId.equals(r.key()))
      .map(r -> EventEnvelope.decode(Buffer.buffer(r.value()))).toList();
  }

  @Test
  void anRssPodcastBecomesOneProgramWithDraftEpisodesAndReimportsAddNothingButChanges() {
    AtomicBoolean v2 = new AtomicBoolean(false);
    byte[] first = Fixtures.bytes("podcast.xml");
    byte[] second = Fixtures.bytes("podcast-v2.xml");
    sources.route("/show.rss", req -> req.response().putHeader("Content-Type", "application/rss+xml")
      .end(Buffer.buffer(v2.get() ? second : first)));
    JsonObject job = importOnce("RSS", sources.url("/show.rss"));
    assertThat(job.getInteger("itemsImported")).isEqualTo(3);
    assertThat(job.getInteger("attempts")).isEqualTo(1);
    assertThat(job.getString("createdBy")).isEqualTo(editor.userId());
    assertThat(job.getString("error")).isNull();
    String programId = job.getString("programId");
    JsonObject program = call(CmsApi.PROGRAM_GET, new JsonObject().put("id", programId), editor);
    assertThat(program.getString("title")).isEqualTo("Tide Tables");
    assertThat(program.getString("status")).isEqualTo("DRAFT");
    assertThat(program.getString("description")).startsWith("A weekly show about the sea");
    List<JsonObject> eps = episodes(programId);
    assertThat(eps).extracting(e -> e.getString("title")).containsExactly("Ep. 1: Salt", "Ep. 2: Reading the Swell",
      "Ep. 3: The Lighthouse Keepers");
    assertThat(eps).extracting(e -> e.getInteger("episodeNumber")).containsExactly(1, 2, 3);
    assertThat(eps).extracting(e -> e.getInteger("durationSeconds")).containsExactly(2465, 2478, 3013);
    assertThat(eps).allSatisfy(e -> assertThat(e.getString("status")).isEqualTo("DRAFT"));
    JsonObject programMeta = metadataOf(programId);
    assertThat(programMeta.getString("language")).isEqualTo("en-GB");
    assertThat(programMeta.getString("category")).isEqualTo("PODCAST");
    assertThat(programMeta.getJsonArray("tags")).contains("science", "marine biology", "ocean");
    JsonObject ep3Meta = metadataOf(eps.get(2).getString("id"));
    assertThat(ep3Meta.getInteger("durationSeconds")).isEqualTo(3013);
    assertThat(ep3Meta.getString("publishDate")).isEqualTo("2025-03-18");
    assertThat(ep3Meta.getString("contentType")).isEqualTo("EPISODE");

    JsonObject again = importOnce("RSS", sources.url("/show.rss"));
    assertThat(again.getString("programId")).isEqualTo(programId);
    assertThat(List.of(again.getInteger("itemsImported"), again.getInteger("itemsUpdated"),
      again.getInteger("itemsSkipped"))).containsExactly(0, 0, 3);
    assertThat(episodes(programId)).hasSize(3);
    assertThat(metadataOf(eps.get(1).getString("id")).getInteger("version")).isEqualTo(1);

    v2.set(true);
    JsonObject changed = importOnce("RSS", sources.url("/show.rss"));
    assertThat(List.of(changed.getInteger("itemsImported"), changed.getInteger("itemsUpdated"),
      changed.getInteger("itemsSkipped"))).containsExactly(1, 1, 2);
    List<JsonObject> after = episodes(programId);
    assertThat(after).extracting(e -> e.getString("title")).containsExactly("Ep. 1: Salt",
      "Ep. 2: Reading the Swell (remastered)", "Ep. 3: The Lighthouse Keepers", "Ep. 4: Ghost Nets");
    assertThat(after.get(1).getString("id")).isEqualTo(eps.get(1).getString("id"));
    assertThat(metadataOf(after.get(1).getString("id")).getString("title"))
      .isEqualTo("Ep. 2: Reading the Swell (remastered)");

    List<EventEnvelope> evs = eventsOf(job.getString("id"), 1);
    assertThat(evs).extracting(EventEnvelope::type).containsExactly("ingest.completed");
    assertThat(evs.get(0).data().getString("programId")).isEqualTo(programId);
    assertThat(evs.get(0).data().getInteger("itemsImported")).isEqualTo(3);
    assertThat(evs.get(0).source()).isEqualTo("ingest");
  }

  @Test
  void aFeedWithoutATitleImportsItsItemsUnderTheNameOfItsHost() {
    JsonObject job = importOnce("RSS", sources.localhostUrl("/untitled.xml"));
    assertThat(job.getInteger("itemsImported")).isEqualTo(2);
    String programId = job.getString("programId");
    assertThat(call(CmsApi.PROGRAM_GET, new JsonObject().put("id", programId), editor).getString("title"))
      .isEqualTo("localhost");
    assertThat(episodes(programId)).extracting(e -> e.getString("title"))
      .containsExactly("First dispatch", "Second dispatch");
  }

  @Test
  void skippedItemsAreCountedWithTheirReasonAndMarkupIsNeverStored() {
    JsonObject job = importOnce("RSS", sources.url("/keyless.xml"));
    assertThat(job.getInteger("itemsImported")).isEqualTo(1);
    assertThat(job.getInteger("itemsSkipped")).isEqualTo(2);
    assertThat(job.getJsonObject("skipReasons")).isEqualTo(new JsonObject().put("noKey", 2));
    JsonObject again = importOnce("RSS", sources.url("/keyless.xml"));
    assertThat(again.getJsonObject("skipReasons")).isEqualTo(new JsonObject().put("noKey", 2).put("unchanged", 1));

    JsonObject hostile = importOnce("RSS", sources.url("/hostile.xml"));
    assertThat(hostile.getInteger("itemsImported")).isEqualTo(3);
    String programId = hostile.getString("programId");
    JsonObject program = call(CmsApi.PROGRAM_GET, new JsonObject().put("id", programId), editor);
    assertThat(program.getString("title")).isEqualTo("Hostile channel");
    List<JsonObject> eps = episodes(programId);
    assertThat(eps).extracting(e -> e.getString("title")).containsExactlyInAnyOrder("Click me", "Plugins",
      "CDATA title");
    assertThat(eps).allSatisfy(e -> assertThat(e.encode()).doesNotContain("<", "javascript:", "onerror"));
  }

  @Test
  void aYoutubeChannelFeedBecomesOneProgramWithItsVideos() {
    JsonObject job = importOnce("YOUTUBE", sources.url("/youtube.xml"));
    assertThat(job.getInteger("itemsImported")).isEqualTo(2);
    String programId = job.getString("programId");
    assertThat(call(CmsApi.PROGRAM_GET, new JsonObject().put("id", programId), editor).getString("title"))
      .isEqualTo("Workshop Notes");
    List<JsonObject> eps = episodes(programId);
    // oldest first: the bench hook (19 March) is episode 1
    assertThat(eps).extracting(e -> e.getString("title")).containsExactly("Building a bench hook from offcuts",
      "Sharpening a hand plane iron in ten minutes");
    assertThat(eps.get(1).getString("description")).startsWith("Waterstones, a honing guide");
    assertThat(metadataOf(programId).getString("category")).isEqualTo("OTHER");
    JsonObject again = importOnce("YOUTUBE", sources.url("/youtube.xml"));
    assertThat(again.getInteger("itemsImported")).isZero();
    assertThat(again.getInteger("itemsSkipped")).isEqualTo(2);
    assertThat(episodes(programId)).hasSize(2);
  }

  @Test
  void aJsonApiSourceMapsAsDeclared() {
    JsonObject job = call(IngestApi.JOBS_CREATE, new JsonObject().put("sourceType", "API")
      .put("sourceUrl", sources.url("/catalogue.json")).put("mapping", Fixtures.CATALOGUE_MAPPING), editor);
    JsonObject done = awaitJob(job.getString("id"), "COMPLETED");
    assertThat(done.getInteger("itemsImported")).isEqualTo(3);
    assertThat(done.getInteger("itemsSkipped")).isEqualTo(1); // the item without an id
    String programId = done.getString("programId");
    JsonObject meta = metadataOf(programId);
    assertThat(meta.getString("title")).isEqualTo("Kitchen Chemistry");
    assertThat(meta.getString("language")).isEqualTo("fr-CA");
    assertThat(meta.getString("category")).isEqualTo("EDUCATIONAL");
    List<JsonObject> eps = episodes(programId);
    assertThat(eps).extracting(e -> e.getInteger("seasonNumber") + "x" + e.getInteger("episodeNumber") + " "
      + e.getString("title") + " " + e.getInteger("durationSeconds"))
      .containsExactly("1x1 Emulsions null", "2x1 Why bread rises 750", "2x2 The Maillard reaction 840");
    assertThat(metadataOf(eps.get(1).getString("id")).getJsonArray("tags")).containsExactly("baking", "yeast");
  }

  @Test
  void aFailingSourceIsRetriedWithBackoffThenFailedAndAManualRetrySucceedsOnceFixed() {
    AtomicBoolean fixed = new AtomicBoolean(false);
    byte[] feed = Fixtures.bytes("podcast.xml");
    sources.route("/flaky.rss", req -> {
      if (fixed.get()) {
        req.response().end(Buffer.buffer(feed));
      } else {
        req.response().setStatusCode(503).end("down for maintenance");
      }
    });
    String id = createJob("RSS", sources.url("/flaky.rss")).getString("id");
    JsonObject failed = awaitJob(id, "FAILED");
    assertThat(failed.getInteger("attempts")).isEqualTo(3);
    assertThat(failed.getString("error")).isEqualTo("source answered HTTP 503");
    assertThat(failed.getString("programId")).isNull();
    List<FixtureServer.Hit> hits = sources.hits("/flaky.rss");
    assertThat(hits).hasSize(3);
    // exponential backoff: at least 100 ms, then at least 200 ms between attempts
    assertThat(Duration.ofNanos(hits.get(1).atNanos() - hits.get(0).atNanos())).isGreaterThanOrEqualTo(
      Duration.ofMillis(100));
    assertThat(Duration.ofNanos(hits.get(2).atNanos() - hits.get(1).atNanos())).isGreaterThanOrEqualTo(
      Duration.ofMillis(200));
    assertThat(eventsOf(id, 1)).extracting(EventEnvelope::type).containsExactly("ingest.failed");
    ServiceException notFailed = (ServiceException) Await.failure(bus.request(IngestApi.JOBS_RETRY,
      new JsonObject().put("id", importOnce("YOUTUBE", sources.url("/youtube.xml?again")).getString("id")), editor));
    assertThat(notFailed.code()).isEqualTo(ErrorCode.CONFLICT);

    fixed.set(true);
    JsonObject retried = call(IngestApi.JOBS_RETRY, new JsonObject().put("id", id), editor);
    assertThat(retried.getString("status")).isIn("PENDING", "RUNNING", "COMPLETED");
    JsonObject done = awaitJob(id, "COMPLETED");
    assertThat(done.getInteger("attempts")).isEqualTo(1);
    assertThat(done.getInteger("itemsImported")).isEqualTo(3);
    assertThat(done.getString("error")).isNull();
    assertThat(eventsOf(id, 2)).extracting(EventEnvelope::type).containsExactly("ingest.failed", "ingest.completed");
  }

  @Test
  void aJobLeftRunningByACrashIsRecovered() {
    UUID id = UUID.randomUUID();
    String url = sources.url("/youtube.xml?crashed");
    Await.result(ingestDb.preparedQuery("INSERT INTO jobs (id, source_type, source_url, feed_key, status, attempts, "
        + "run_at, lease_until, created_by, created_at, updated_at, started_at, version) VALUES ($1, 'YOUTUBE', $2, $3, "
        + "'RUNNING', 1, now(), now() - interval '1 second', 'crashed-instance', now(), now(), now(), 2)")
      .execute(Tuple.of(id, url, "YOUTUBE " + url)));
    JsonObject done = awaitJob(id.toString(), "COMPLETED");
    assertThat(done.getInteger("attempts")).isEqualTo(2);
    assertThat(done.getInteger("itemsImported")).isEqualTo(2);
  }

  @Test
  void aDisabledOwnersScheduledSourcesStopAndStartAgainWhenTheOwnerIsBack() {
    Caller admin = login(ADMIN_EMAIL, ADMIN_PASSWORD, Role.ADMIN);
    String email = "owner-" + UUID.randomUUID() + "@mediamesh.test";
    JsonObject user = call(AuthApi.USERS_CREATE, new JsonObject().put("email", email).put("password", "0wner-pass!")
      .put("displayName", "Owner").put("role", "EDITOR"), admin);
    Caller owner = login(email, "0wner-pass!", Role.EDITOR);
    JsonObject source = call(IngestApi.SOURCES_CREATE, new JsonObject().put("type", "RSS")
      .put("url", sources.url("/podcast.xml?owner")).put("intervalSeconds", 3600), owner);
    assertThat(source.getBoolean("enabled")).isTrue();
    call(AuthApi.USERS_UPDATE, new JsonObject().put("id", user.getString("id")).put("disabled", true), admin);
    JsonObject stopped = Await.value("the disabled owner's source stops", Duration.ofSeconds(20),
      () -> call(IngestApi.SOURCES_LIST, new JsonObject().put("size", 100), editor).getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(s -> s.getString("id").equals(source.getString("id"))).findFirst()
        .orElseThrow(), s -> !s.getBoolean("enabled"));
    assertThat(stopped.getValue("nextRunAt")).isNull();
    // enabled again: the sources stopped for their owner start again
    call(AuthApi.USERS_UPDATE, new JsonObject().put("id", user.getString("id")).put("disabled", false), admin);
    Await.until("the owner's source starts again", Duration.ofSeconds(20),
      () -> call(IngestApi.SOURCES_LIST, new JsonObject().put("size", 100), editor).getJsonArray("items").stream()
        .map(JsonObject.class::cast).anyMatch(s -> s.getString("id").equals(source.getString("id"))
          && s.getBoolean("enabled")));
  }

  @Test
  void aScheduledSourceRunsOnItsIntervalOneRunAtATime() {
    JsonObject source = call(IngestApi.SOURCES_CREATE, new JsonObject().put("type", "RSS")
      .put("url", sources.url("/podcast.xml?scheduled")).put("intervalSeconds", 1), editor);
    assertThat(source.getBoolean("enabled")).isTrue();
    String sourceId = source.getString("id");
    Instant began = Instant.now();
    List<JsonObject> runs = Await.value("three completed runs", Duration.ofSeconds(30),
      () -> call(IngestApi.JOBS_LIST, new JsonObject().put("sourceId", sourceId).put("status", "COMPLETED")
        .put("sort", "createdAt,asc"), editor).getJsonArray("items").stream().map(JsonObject.class::cast).toList(),
      list -> list.size() >= 3);
    call(IngestApi.SOURCES_DELETE, new JsonObject().put("id", sourceId), editor);
    long seconds = Duration.between(began, Instant.now()).toSeconds();
    assertThat(runs.get(0).getInteger("itemsImported")).isEqualTo(3);
    assertThat(runs.subList(1, runs.size())).allSatisfy(r -> {
      assertThat(r.getInteger("itemsImported")).isZero();
      assertThat(r.getInteger("itemsSkipped")).isEqualTo(3);
      assertThat(r.getString("programId")).isEqualTo(runs.get(0).getString("programId"));
    });
    // two instances polled the schedule: still at most one run per interval, and never two at once
    long total = call(IngestApi.JOBS_LIST, new JsonObject().put("sourceId", sourceId), editor).getLong("total");
    assertThat(total).isLessThanOrEqualTo(seconds + 2);
    for (int i = 1; i < runs.size(); i++) {
      assertThat(Instant.parse(runs.get(i).getString("startedAt")))
        .isAfterOrEqualTo(Instant.parse(runs.get(i - 1).getString("finishedAt")));
    }
    assertThat(runs).allSatisfy(r -> assertThat(r.getString("createdBy")).isEqualTo(editor.userId()));
  }

  @Test
  void requestsAreValidatedAndListed() {
    ServiceException bad = (ServiceException) Await.failure(bus.request(IngestApi.JOBS_CREATE, new JsonObject()
      .put("sourceType", "FTP").put("sourceUrl", "file:///etc/passwd"), editor));
    assertThat(bad.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(bad.details().getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("sourceType",
      "sourceUrl");
    ServiceException noMapping = (ServiceException) Await.failure(bus.request(IngestApi.JOBS_CREATE, new JsonObject()
      .put("sourceType", "API").put("sourceUrl", sources.url("/catalogue.json")), editor));
    assertThat(noMapping.details().getJsonObject("fields").fieldNames()).containsExactly("mapping");
    ServiceException tooOften = (ServiceException) Await.failure(bus.request(IngestApi.SOURCES_CREATE,
      new JsonObject().put("type", "RSS").put("url", "https://example.org/feed").put("intervalSeconds", 0), editor));
    assertThat(tooOften.details().getJsonObject("fields").fieldNames()).containsExactly("intervalSeconds");
    JsonObject page = call(IngestApi.JOBS_LIST, new JsonObject().put("size", 1), editor);
    assertThat(page.getInteger("size")).isEqualTo(1);
    assertThat(page.getJsonArray("items").size()).isLessThanOrEqualTo(1);
    assertThat(((ServiceException) Await.failure(bus.request(IngestApi.JOBS_GET,
      new JsonObject().put("id", UUID.randomUUID().toString()), editor))).code()).isEqualTo(ErrorCode.NOT_FOUND);
    JsonObject off = call(IngestApi.SOURCES_CREATE, new JsonObject().put("type", "YOUTUBE")
      .put("url", "https://www.youtube.com/feeds/videos.xml?channel_id=UC1").put("enabled", false), editor);
    assertThat(off.getString("nextRunAt")).isNull();
    assertThat(call(IngestApi.SOURCES_LIST, new JsonObject(), editor).getJsonArray("items").stream()
      .map(JsonObject.class::cast).map(s -> s.getString("id"))).contains(off.getString("id"));
    call(IngestApi.SOURCES_DELETE, new JsonObject().put("id", off.getString("id")), editor);
    assertThat(((ServiceException) Await.failure(bus.request(IngestApi.SOURCES_DELETE,
      new JsonObject().put("id", off.getString("id")), editor))).code()).isEqualTo(ErrorCode.NOT_FOUND);
    String done = importOnce("YOUTUBE", sources.url("/youtube.xml?delete")).getString("id");
    call(IngestApi.JOBS_DELETE, new JsonObject().put("id", done), editor);
    assertThat(((ServiceException) Await.failure(bus.request(IngestApi.JOBS_GET, new JsonObject().put("id", done),
      editor))).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }
}
