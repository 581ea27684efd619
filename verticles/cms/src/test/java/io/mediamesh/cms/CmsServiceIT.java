package io.mediamesh.cms;

import io.mediamesh.common.auth.TokenConfig;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.ServiceHarness;
import io.mediamesh.testkit.TestClock;
import io.mediamesh.testkit.TestTokens;
import io.mediamesh.testkit.TopicReader;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The CMS service on real PostgreSQL and Kafka, driven over the bus with real tokens. */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CmsServiceIT {

  /** Runs with real time, moved ahead by the scheduling tests instead of waiting for a publication time. */
  private final TestClock clock = TestClock.running();
  private PlatformConfig config;
  private TestTokens tokens;
  private ServiceHarness cms;
  private Platform platform;
  private Caller editor;
  private Caller admin;
  private Caller user;
  private TopicReader events;

  @BeforeAll
  void start(TestInfra infra) {
    config = infra.platformConfig();
    tokens = TestTokens.create(TokenConfig.from(config.raw()), clock);
    cms = startCms();
    platform = cms.platform();
    newCallers();
    events = new TopicReader(infra.kafka().bootstrapServers(), Topics.CONTENT);
  }

  @AfterAll
  void stop() {
    events.close();
    cms.close();
  }

  /** Callers with tokens issued now, by the test clock (the services judge expiry on it). */
  private void newCallers() {
    editor = cms.caller(Role.EDITOR);
    admin = cms.caller(Role.ADMIN);
    user = cms.caller(Role.USER);
  }

  /** Moves the services' time ahead, and issues the callers' tokens again at the new time. */
  private void advance(Duration by) {
    clock.advance(by);
    newCallers();
  }

  private ServiceHarness startCms() {
    return ServiceHarness.start(config, List.of(CmsModule::new), clock, tokens);
  }

  private JsonObject call(Operation<?> address, JsonObject body, Caller caller) {
    return cms.call(address, body, caller);
  }

  private ServiceException refused(Operation<?> address, JsonObject body, Caller caller) {
    return cms.refused(address, body, caller);
  }

  private JsonObject program(String title) {
    return call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", title).put("description", "About " + title), editor);
  }

  private JsonObject episode(String programId, int season, int number) {
    return call(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", programId).put("seasonNumber", season)
      .put("episodeNumber", number).put("title", "S" + season + "E" + number).put("durationSeconds", 1800), editor);
  }

  private static JsonObject id(JsonObject resource) {
    return new JsonObject().put("id", resource.getString("id"));
  }

  private List<EventEnvelope> eventsOf(String subject) {
    return events.poll().stream().filter(r -> subject.equals(r.key()))
      .map(r -> EventEnvelope.decode(Buffer.buffer(r.value()))).toList();
  }

  private List<EventEnvelope> awaitEvents(String subject, int count) {
    Await.until(count + " events of " + subject, Duration.ofSeconds(15), () -> eventsOf(subject).size() >= count);
    events.afterOutbox(platform, "cms", Duration.ofSeconds(15));
    return eventsOf(subject);
  }

  @Test
  void aMovieHasNoEpisodesAndAProgramWithEpisodesCannotBecomeOne() {
    assertThat(program("Default kind").getString("kind")).isEqualTo("SERIES");
    JsonObject movie = call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", "The Long Night").put("kind", "MOVIE"),
      editor);
    assertThat(movie.getString("kind")).isEqualTo("MOVIE");
    assertThat(awaitEvents(movie.getString("id"), 1).get(0).data().getString("kind")).isEqualTo("MOVIE");
    ServiceException noEpisodes = refused(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", movie.getString("id"))
      .put("seasonNumber", 1).put("episodeNumber", 1).put("title", "Part one"), editor);
    assertThat(noEpisodes.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(noEpisodes.getMessage()).contains("MOVIE");

    JsonObject series = program("A series");
    episode(series.getString("id"), 1, 1);
    ServiceException notAMovie = refused(CmsApi.PROGRAM_UPDATE, id(series).put("version", series.getInteger("version"))
      .put("kind", "MOVIE"), editor);
    assertThat(notAMovie.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(call(CmsApi.PROGRAM_GET, id(series), editor).getString("kind")).as("nothing written").isEqualTo("SERIES");
    JsonObject show = call(CmsApi.PROGRAM_UPDATE, id(series).put("version", series.getInteger("version"))
      .put("kind", "SHOW"), editor);
    assertThat(show.getString("kind")).isEqualTo("SHOW");
    assertThat(refused(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", "x").put("kind", "FILM"), editor)
      .details().getJsonObject("fields").getString("kind")).contains("SERIES, SHOW, PODCAST, MOVIE");
  }

  @Test
  void createsDraftsAndNamesEveryBadField() {
    JsonObject p = program("Night Shift");
    assertThat(p.getString("status")).isEqualTo("DRAFT");
    assertThat(p.getInteger("version")).isEqualTo(1);
    assertThat(p.getString("createdBy")).isEqualTo(editor.userId());
    assertThat(call(CmsApi.PROGRAM_GET, id(p), editor)).isEqualTo(p);
    ServiceException bad = refused(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", " ")
      .put("description", "x".repeat(5001)), editor);
    assertThat(bad.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(bad.details().getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("title", "description");
    ServiceException badEpisode = refused(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", "nope")
      .put("seasonNumber", 0).put("title", "t"), editor);
    assertThat(badEpisode.details().getJsonObject("fields").fieldNames())
      .containsExactlyInAnyOrder("programId", "seasonNumber", "episodeNumber");
    assertThat(refused(CmsApi.PROGRAM_GET, new JsonObject().put("id", UUID.randomUUID().toString()), editor).code())
      .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void theServiceRefusesUsersAndAnonymousCallersItself() {
    JsonObject p = program("Guarded");
    assertThat(refused(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", "x"), user).code())
      .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refused(CmsApi.PROGRAM_GET, id(p), user).code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refused(CmsApi.PROGRAM_PUBLISH, id(p), Caller.anonymous()).code())
      .isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(refused(CmsApi.PROGRAM_DELETE, id(p), editor).code()).isEqualTo(ErrorCode.FORBIDDEN);
    // a forged "EDITOR" without a valid token is anonymous to the service
    assertThat(refused(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", "x"),
      Caller.of("someone", Role.EDITOR)).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void updatesNeedTheCurrentVersionAndConcurrentOnesHaveOneWinner() {
    JsonObject p = program("Versions");
    JsonObject v2 = call(CmsApi.PROGRAM_UPDATE, id(p).put("version", 1).put("title", "Versions, revised"), editor);
    assertThat(v2.getInteger("version")).isEqualTo(2);
    assertThat(v2.getString("description")).isEqualTo(p.getString("description"));
    ServiceException stale = refused(CmsApi.PROGRAM_UPDATE, id(p).put("version", 1).put("title", "lost"), editor);
    assertThat(stale.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(stale.details().getInteger("currentVersion")).isEqualTo(2);
    assertThat(refused(CmsApi.PROGRAM_UPDATE, id(p).put("title", "no version"), editor).details()
      .getJsonObject("fields").containsKey("version")).isTrue();

    List<Future<JsonObject>> racers = IntStream.range(0, 8).mapToObj(i -> cms.bus().<JsonObject>request(
      CmsApi.PROGRAM_UPDATE, id(p).put("version", 2).put("title", "racer " + i), editor)).toList();
    Await.result(Future.join(racers).otherwiseEmpty());
    List<Future<JsonObject>> winners = racers.stream().filter(Future::succeeded).toList();
    assertThat(winners).hasSize(1);
    assertThat(racers.stream().filter(Future::failed).map(f -> ((ServiceException) f.cause()).code()))
      .containsOnly(ErrorCode.CONFLICT);
    JsonObject now = call(CmsApi.PROGRAM_GET, id(p), editor);
    assertThat(now.getInteger("version")).isEqualTo(3);
    assertThat(now.getString("title")).isEqualTo(winners.get(0).result().getString("title"));
  }

  @Test
  void theWorkflowAllowsOnlyWhatItShould() {
    JsonObject p = program("Workflow");
    JsonObject published = call(CmsApi.PROGRAM_PUBLISH, id(p), editor);
    assertThat(published.getString("status")).isEqualTo("PUBLISHED");
    assertThat(published.getString("publishedAt")).isNotNull();
    assertThat(refused(CmsApi.PROGRAM_PUBLISH, id(p), editor).code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(call(CmsApi.PROGRAM_UNPUBLISH, id(p), editor).getString("status")).isEqualTo("UNPUBLISHED");
    assertThat(call(CmsApi.PROGRAM_PUBLISH, id(p), editor).getString("status")).isEqualTo("PUBLISHED");
    JsonObject archived = call(CmsApi.PROGRAM_ARCHIVE, id(p), editor);
    assertThat(archived.getString("status")).isEqualTo("ARCHIVED");
    ServiceException edit = refused(CmsApi.PROGRAM_UPDATE, id(p).put("version", archived.getInteger("version"))
      .put("title", "x"), editor);
    assertThat(edit.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(edit.getMessage()).contains("restore");
    assertThat(refused(CmsApi.PROGRAM_PUBLISH, id(p), editor).code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(refused(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", p.getString("id"))
      .put("seasonNumber", 1).put("episodeNumber", 1).put("title", "t"), editor).code()).isEqualTo(ErrorCode.CONFLICT);
    JsonObject restored = call(CmsApi.PROGRAM_RESTORE, id(p), editor);
    assertThat(restored.getString("status")).isEqualTo("DRAFT");
    assertThat(call(CmsApi.PROGRAM_UPDATE, id(p).put("version", restored.getInteger("version")).put("title", "Back"),
      editor).getString("title")).isEqualTo("Back");
    assertThat(refused(CmsApi.PROGRAM_RESTORE, id(p), editor).code()).isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  void episodeNumbersAreUniquePerSeasonAndListsPageAndSort() {
    JsonObject p = program("Series");
    String pid = p.getString("id");
    episode(pid, 2, 1);
    episode(pid, 1, 2);
    episode(pid, 1, 1);
    JsonObject taken = id(p);
    ServiceException dup = refused(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", pid).put("seasonNumber", 1)
      .put("episodeNumber", 2).put("title", "again"), editor);
    assertThat(dup.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(dup.details().getJsonObject("fields").containsKey("episodeNumber")).isTrue();
    JsonObject page = call(CmsApi.EPISODE_LIST, new JsonObject().put("programId", pid).put("size", 2), editor);
    assertThat(page.getLong("total")).isEqualTo(3);
    assertThat(page.getJsonArray("items").stream().map(e -> ((JsonObject) e).getInteger("seasonNumber") + "x"
      + ((JsonObject) e).getInteger("episodeNumber"))).containsExactly("1x1", "1x2");
    JsonObject second = call(CmsApi.EPISODE_LIST, new JsonObject().put("programId", pid).put("size", 2).put("page", 1),
      editor);
    assertThat(second.getJsonArray("items")).hasSize(1);
    assertThat(refused(CmsApi.EPISODE_LIST, new JsonObject().put("sort", "password"), editor).details()
      .getJsonObject("fields").containsKey("sort")).isTrue();
    assertThat(refused(CmsApi.EPISODE_LIST, taken.put("programId", UUID.randomUUID().toString()), editor).code())
      .isEqualTo(ErrorCode.NOT_FOUND);
    // renumbering onto a taken number is refused the same way
    JsonObject e22 = episode(pid, 2, 2);
    assertThat(refused(CmsApi.EPISODE_UPDATE, id(e22).put("version", 1).put("seasonNumber", 1).put("episodeNumber", 1),
      editor).code()).isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  void listsFilterByStatusWithTotals() {
    JsonObject a = program("Filter A " + UUID.randomUUID());
    call(CmsApi.PROGRAM_PUBLISH, id(a), editor);
    JsonObject published = call(CmsApi.PROGRAM_LIST, new JsonObject().put("status", "PUBLISHED").put("size", 100),
      editor);
    assertThat(published.getJsonArray("items").stream().map(p -> ((JsonObject) p).getString("status")))
      .containsOnly("PUBLISHED");
    assertThat(published.getJsonArray("items").stream().map(p -> ((JsonObject) p).getString("id")))
      .contains(a.getString("id"));
    assertThat(published.getLong("total")).isEqualTo(published.getJsonArray("items").size());
  }

  @Test
  void eachCommittedChangeIsOneEventAndRejectedChangesNone() {
    JsonObject p = program("Counted");
    String pid = p.getString("id");
    call(CmsApi.PROGRAM_UPDATE, id(p).put("version", 1).put("title", "Counted 2"), editor);
    refused(CmsApi.PROGRAM_UPDATE, id(p).put("version", 1).put("title", "stale"), editor);
    call(CmsApi.PROGRAM_PUBLISH, id(p), editor);
    refused(CmsApi.PROGRAM_PUBLISH, id(p), editor);
    JsonObject e = episode(pid, 1, 1);
    refused(CmsApi.EPISODE_CREATE, new JsonObject().put("programId", pid).put("seasonNumber", 1)
      .put("episodeNumber", 1).put("title", "dup"), editor);
    List<EventEnvelope> programEvents = awaitEvents(pid, 3);
    assertThat(programEvents).extracting(EventEnvelope::type)
      .containsExactly("content.created", "content.updated", "content.published");
    assertThat(programEvents).extracting(ev -> ev.data().getInteger("version")).containsExactly(1, 2, 3);
    assertThat(programEvents.get(2).data().getString("status")).isEqualTo("PUBLISHED");
    assertThat(programEvents).allSatisfy(ev -> assertThat(ev.data().getString("contentType")).isEqualTo("PROGRAM"));
    List<EventEnvelope> episodeEvents = awaitEvents(e.getString("id"), 1);
    assertThat(episodeEvents).extracting(EventEnvelope::type).containsExactly("content.created");
    assertThat(episodeEvents.get(0).data().getString("programId")).isEqualTo(pid);
  }

  @Test
  void deletingAProgramDeletesItsEpisodesWithAnEventForEach() {
    JsonObject p = program("Doomed");
    String pid = p.getString("id");
    JsonObject e1 = episode(pid, 1, 1);
    JsonObject e2 = episode(pid, 1, 2);
    call(CmsApi.PROGRAM_DELETE, id(p), admin);
    assertThat(refused(CmsApi.PROGRAM_GET, id(p), editor).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(refused(CmsApi.EPISODE_GET, id(e1), editor).code()).isEqualTo(ErrorCode.NOT_FOUND);
    for (JsonObject gone : List.of(p, e1, e2)) {
      List<EventEnvelope> evs = awaitEvents(gone.getString("id"), 2);
      assertThat(evs.get(evs.size() - 1).type()).isEqualTo("content.deleted");
      assertThat(evs.get(evs.size() - 1).data().getInteger("version")).isEqualTo(2);
    }
    assertThat(refused(CmsApi.PROGRAM_DELETE, id(p), admin).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void aScheduledPublishFiresOnceItsTimeHasCome() {
    JsonObject p = program("Scheduled");
    JsonObject e = episode(p.getString("id"), 1, 1);
    Instant at = clock.instant().plusSeconds(3600);
    JsonObject scheduled = call(CmsApi.PROGRAM_PUBLISH, id(p).put("publishAt", at.toString()), editor);
    assertThat(scheduled.getString("status")).isEqualTo("DRAFT");
    assertThat(Instant.parse(scheduled.getString("publishAt"))).isEqualTo(at);
    call(CmsApi.EPISODE_PUBLISH, id(e).put("publishAt", at.toString()), editor);
    assertThat(call(CmsApi.PROGRAM_GET, id(p), editor).getString("status")).as("before its time").isEqualTo("DRAFT");
    advance(Duration.ofSeconds(3600));
    JsonObject done = Await.value("scheduled publication", Duration.ofSeconds(10),
      () -> call(CmsApi.PROGRAM_GET, id(p), editor), x -> x.getString("status").equals("PUBLISHED"));
    assertThat(Instant.parse(done.getString("publishedAt"))).as("never before its time").isAfterOrEqualTo(at);
    assertThat(done.getString("publishAt")).isNull();
    Await.value("episode published too", Duration.ofSeconds(5), () -> call(CmsApi.EPISODE_GET, id(e), editor),
      x -> x.getString("status").equals("PUBLISHED"));
    // unpublish before its time cancels a schedule
    JsonObject q = program("Cancelled");
    call(CmsApi.PROGRAM_PUBLISH, id(q).put("publishAt", clock.instant().plusSeconds(3600).toString()), editor);
    JsonObject cancelled = call(CmsApi.PROGRAM_UNPUBLISH, id(q), editor);
    assertThat(cancelled.getString("publishAt")).isNull();
    assertThat(cancelled.getString("status")).isEqualTo("DRAFT");
  }

  @Test
  void scheduledPublishingSurvivesARestartAndHappensOnceWithTwoInstances() {
    Instant at = clock.instant().plusSeconds(3600);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      JsonObject p = program("Twice " + i);
      call(CmsApi.PROGRAM_PUBLISH, id(p).put("publishAt", at.toString()), editor);
      ids.add(p.getString("id"));
    }
    // the instance that took the schedule goes away; two others run the same database
    cms.close();
    ServiceHarness a = startCms();
    ServiceHarness b = startCms();
    try {
      cms = a;
      platform = a.platform();
      advance(Duration.ofSeconds(3600));
      for (String pid : ids) {
        Await.value("published after restart", Duration.ofSeconds(10),
          () -> call(CmsApi.PROGRAM_GET, new JsonObject().put("id", pid), editor),
          x -> x.getString("status").equals("PUBLISHED"));
      }
      Map<String, Long> publishedEvents = ids.stream().collect(Collectors.toMap(pid -> pid,
        pid -> awaitEvents(pid, 3).stream().filter(ev -> ev.type().equals("content.published")).count()));
      assertThat(publishedEvents.values()).containsOnly(1L);
    } finally {
      b.close();
    }
  }

}
