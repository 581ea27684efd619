package io.mediamesh.discovery;

import io.mediamesh.common.bus.Operation;
import io.mediamesh.cms.CmsModule;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.metadata.MetadataModule;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.ServiceHarness;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery with the real CMS and metadata services: content reaches the read model only through Kafka, and reads
 * go through the Redis cache. Real PostgreSQL, Redis and Kafka.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryIT {

  private ServiceHarness services;
  private BusClient bus;
  private Caller editor;
  private final List<DiscoveryApi.Invalidation> invalidations = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start(TestInfra infra) {
    services = ServiceHarness.start(infra, List.of(CmsModule::new, MetadataModule::new, DiscoveryModule::new));
    bus = services.bus();
    editor = services.caller(Role.EDITOR);
    services.platform().vertx().eventBus().<JsonObject>consumer(DiscoveryApi.INVALIDATED,
      m -> invalidations.add(DiscoveryApi.Invalidation.from(m.body())));
  }

  @AfterAll
  void stop() {
    services.close();
  }

  private JsonObject call(Operation<?> address, JsonObject body, Caller caller) {
    return services.call(address, body, caller);
  }

  private JsonObject read(Operation<?> address, JsonObject body) {
    return call(address, body, Caller.anonymous());
  }

  private ErrorCode refusal(Operation<?> address, JsonObject body) {
    return services.refused(address, body, Caller.anonymous()).code();
  }

  /** True once the read answers 404 (a probe for polling: never throws while the content is still there). */
  private boolean gone(Operation<?> address, JsonObject body) {
    Future<JsonObject> f = bus.request(address, body, Caller.anonymous());
    Throwable failure = Await.result(f.map(ok -> (Throwable) null).otherwise(err -> err));
    return failure instanceof ServiceException se && se.code() == ErrorCode.NOT_FOUND;
  }

  private static JsonObject id(String id) {
    return new JsonObject().put("id", id);
  }

  private JsonObject program(String title, String category, String language) {
    JsonObject p = call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", title).put("description", "About " + title),
      editor);
    call(MetadataApi.CREATE, new JsonObject().put("contentId", p.getString("id")).put("contentType", "PROGRAM")
      .put("title", title).put("category", category).put("language", language).put("durationSeconds", 1800)
      .put("publishDate", "2026-11-01").put("tags", new JsonArray().add("weekly")), editor);
    return p;
  }

  private JsonObject publish(JsonObject program) {
    return call(CmsApi.PROGRAM_PUBLISH, id(program.getString("id")), editor);
  }

  private JsonObject awaitProgram(String programId, String what, java.util.function.Predicate<JsonObject> done) {
    return Await.value(what, Duration.ofSeconds(10), () -> {
      Future<JsonObject> f = bus.request(DiscoveryApi.PROGRAMS_GET, id(programId), Caller.anonymous());
      return Await.result(f.otherwiseEmpty());
    }, done);
  }

  private List<String> titles(JsonObject page) {
    List<String> titles = new ArrayList<>();
    page.getJsonArray("items").forEach(i -> titles.add(((JsonObject) i).getString("title")));
    return titles;
  }

  @Test
  void aPublishIsVisibleMergedWithItsMetadata() {
    JsonObject p = program("Harbour Lights " + UUID.randomUUID(), "DOCUMENTARY", "en");
    assertThat(refusal(DiscoveryApi.PROGRAMS_GET, id(p.getString("id")))).isEqualTo(ErrorCode.NOT_FOUND);
    long published = System.nanoTime();
    publish(p);
    JsonObject seen = awaitProgram(p.getString("id"), "the published program", found -> found != null);
    long lagMs = (System.nanoTime() - published) / 1_000_000;
    System.out.println("publish -> visible in discovery lag: " + lagMs + " ms");
    assertThat(seen.getString("title")).isEqualTo(p.getString("title"));
    assertThat(seen.getString("category")).isEqualTo("DOCUMENTARY");
    assertThat(seen.getString("language")).isEqualTo("en");
    assertThat(seen.getInteger("durationSeconds")).isEqualTo(1800);
    assertThat(seen.getJsonArray("tags")).containsExactly("weekly");
    assertThat(seen.getLong("episodeCount")).isZero();
  }

  @Test
  void episodesFollowTheirProgramAndCountInIt() {
    JsonObject p = program("Night Shift " + UUID.randomUUID(), "PODCAST", "en");
    List<String> episodes = new ArrayList<>();
    for (int n = 2; n >= 1; n--) {
      JsonObject e = call(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", p.getString("id"))
        .put("seasonNumber", 1).put("episodeNumber", n).put("title", "Part " + n), editor);
      call(CmsApi.EPISODE_PUBLISH, id(e.getString("id")), editor);
      episodes.add(e.getString("id"));
    }
    publish(p);
    awaitProgram(p.getString("id"), "two episodes counted", f -> f != null && f.getLong("episodeCount") == 2);
    JsonObject list = read(DiscoveryApi.PROGRAM_EPISODES, id(p.getString("id")));
    assertThat(titles(list)).containsExactly("Part 1", "Part 2");
    assertThat(list.getLong("total")).isEqualTo(2);
    JsonObject episode = read(DiscoveryApi.EPISODES_GET, id(episodes.get(0)));
    assertThat(episode.getString("programId")).isEqualTo(p.getString("id"));
    assertThat(episode.getString("category")).isNull();
    JsonObject batch = read(DiscoveryApi.EPISODES_BATCH, new JsonObject().put("ids", new JsonArray(episodes)
      .add(UUID.randomUUID().toString())));
    assertThat(batch.getJsonArray("items")).hasSize(2);
    // unpublishing the program hides its episodes, cached or not
    call(CmsApi.PROGRAM_UNPUBLISH, id(p.getString("id")), editor);
    Await.until("the episode hidden with its program", Duration.ofSeconds(10),
      () -> gone(DiscoveryApi.EPISODES_GET, id(episodes.get(0))));
    assertThat(refusal(DiscoveryApi.PROGRAM_EPISODES, id(p.getString("id")))).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void anUpdateIsNeverServedStaleOnceItsEventIsApplied() {
    String category = "SPORTS";
    String language = "pt-BR";
    JsonObject p = publish(program("Match Day", category, language));
    awaitProgram(p.getString("id"), "published", f -> f != null);
    JsonObject filter = new JsonObject().put("category", category).put("language", language);
    // both answers are now cached
    assertThat(titles(read(DiscoveryApi.PROGRAMS_LIST, filter))).contains("Match Day");
    assertThat(read(DiscoveryApi.PROGRAMS_GET, id(p.getString("id"))).getString("title")).isEqualTo("Match Day");
    int before = invalidations.size();
    call(CmsApi.PROGRAM_UPDATE, new JsonObject().put("id", p.getString("id")).put("version", p.getInteger("version"))
      .put("title", "Match Night"), editor);
    // the eviction announcement comes after the commit: from then on no read may be stale
    Await.until("the change announced", Duration.ofSeconds(10), () -> invalidations.stream().skip(before)
      .anyMatch(m -> m.programs().contains(UUID.fromString(p.getString("id")))));
    for (int i = 0; i < 20; i++) {
      assertThat(read(DiscoveryApi.PROGRAMS_GET, id(p.getString("id"))).getString("title")).isEqualTo("Match Night");
      assertThat(titles(read(DiscoveryApi.PROGRAMS_LIST, filter))).contains("Match Night").doesNotContain("Match Day");
    }
    call(CmsApi.PROGRAM_UNPUBLISH, id(p.getString("id")), editor);
    Await.until("unpublished gone", Duration.ofSeconds(10),
      () -> gone(DiscoveryApi.PROGRAMS_GET, id(p.getString("id"))));
    assertThat(titles(read(DiscoveryApi.PROGRAMS_LIST, filter))).doesNotContain("Match Night");
  }

  @Test
  void categoriesCountPublishedPrograms() {
    JsonObject before = read(DiscoveryApi.CATEGORIES, new JsonObject());
    long music = count(before, "MUSIC");
    JsonObject a = publish(program("Tunes " + UUID.randomUUID(), "MUSIC", "en"));
    JsonObject b = publish(program("Beats " + UUID.randomUUID(), "MUSIC", "ar"));
    program("Draft " + UUID.randomUUID(), "MUSIC", "en");
    awaitProgram(a.getString("id"), "a", f -> f != null);
    awaitProgram(b.getString("id"), "b", f -> f != null);
    Await.until("two more music programs", Duration.ofSeconds(10),
      () -> count(read(DiscoveryApi.CATEGORIES, new JsonObject()), "MUSIC") == music + 2);
  }

  private static long count(JsonObject categories, String category) {
    for (Object o : categories.getJsonArray("items")) {
      JsonObject c = (JsonObject) o;
      if (c.getString("category").equals(category)) {
        return c.getLong("programs");
      }
    }
    return 0;
  }

  @Test
  void trendingAndPopularFollowViewsCountingAViewerOncePerWindow() {
    JsonObject a = publish(program("Alpha " + UUID.randomUUID(), "NEWS", "en"));
    JsonObject b = publish(program("Beta " + UUID.randomUUID(), "NEWS", "en"));
    awaitProgram(a.getString("id"), "a", f -> f != null);
    awaitProgram(b.getString("id"), "b", f -> f != null);
    for (int i = 0; i < 3; i++) {
      assertThat(view(a, "viewer-a-" + i)).isTrue();
    }
    assertThat(view(b, "viewer-b-0")).isTrue();
    assertThat(view(b, "viewer-b-0")).isFalse();
    assertThat(ranking(DiscoveryApi.TRENDING)).containsSubsequence(a.getString("id"), b.getString("id"));
    for (int i = 1; i < 6; i++) {
      view(b, "viewer-b-" + i);
    }
    assertThat(ranking(DiscoveryApi.TRENDING)).containsSubsequence(b.getString("id"), a.getString("id"));
    JsonObject popular = read(DiscoveryApi.POPULAR, new JsonObject().put("limit", 50));
    JsonObject top = popular.getJsonArray("items").getJsonObject(0);
    assertThat(top.getJsonObject("item").getString("id")).isEqualTo(b.getString("id"));
    assertThat(top.getLong("views")).isEqualTo(6);
    assertThat(refusal(DiscoveryApi.VIEWS_RECORD, new JsonObject().put("contentId", UUID.randomUUID().toString())
      .put("contentType", "PROGRAM").put("viewerId", "x"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(refusal(DiscoveryApi.VIEWS_RECORD, new JsonObject().put("contentId", a.getString("id"))
      .put("contentType", "SONG"))).isEqualTo(ErrorCode.VALIDATION);
  }

  private boolean view(JsonObject program, String viewer) {
    return read(DiscoveryApi.VIEWS_RECORD, new JsonObject().put("contentId", program.getString("id"))
      .put("contentType", "PROGRAM").put("viewerId", viewer)).getBoolean("accepted");
  }

  private List<String> ranking(Operation<?> address) {
    List<String> ids = new ArrayList<>();
    read(address, new JsonObject().put("limit", 50)).getJsonArray("items")
      .forEach(i -> ids.add(((JsonObject) i).getJsonObject("item").getString("id")));
    return ids;
  }

  @Test
  void badRequestsAreRefusedNamingTheField() {
    ServiceException e = services.refused(DiscoveryApi.PROGRAMS_LIST,
      new JsonObject().put("sort", "price").put("size", 1000), Caller.anonymous());
    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(e.details().getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("sort", "size");
    assertThat(refusal(DiscoveryApi.PROGRAMS_GET, id("not-a-uuid"))).isEqualTo(ErrorCode.VALIDATION);
    assertThat(refusal(DiscoveryApi.PROGRAMS_BATCH, new JsonObject().put("ids", new JsonArray())))
      .isEqualTo(ErrorCode.VALIDATION);
  }
}
