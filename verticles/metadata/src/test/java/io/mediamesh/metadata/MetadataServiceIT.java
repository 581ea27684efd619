package io.mediamesh.metadata;

import io.mediamesh.cms.CmsModule;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.ServiceHarness;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.TopicReader;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Metadata with the real CMS beside it, on real PostgreSQL and Kafka, driven over the bus with real tokens. */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataServiceIT {

  private ServiceHarness services;
  private Caller editor;
  private Caller admin;
  private TopicReader events;

  @BeforeAll
  void start(TestInfra infra) {
    services = ServiceHarness.start(infra, List.of(CmsModule::new, MetadataModule::new));
    editor = services.caller(Role.EDITOR);
    admin = services.caller(Role.ADMIN);
    events = new TopicReader(infra.kafka().bootstrapServers(), Topics.METADATA);
  }

  @AfterAll
  void stop() {
    events.close();
    services.close();
  }

  private JsonObject call(Operation<?> operation, JsonObject body, Caller caller) {
    return services.call(operation, body, caller);
  }

  private ServiceException refused(Operation<?> operation, JsonObject body, Caller caller) {
    return services.refused(operation, body, caller);
  }

  private String program() {
    return call(CmsApi.PROGRAM_CREATE, new JsonObject().put("title", "Show " + UUID.randomUUID()), editor)
      .getString("id");
  }

  private static JsonObject fields(String title) {
    return new JsonObject().put("title", title).put("description", "A show about " + title)
      .put("category", "DOCUMENTARY").put("language", "en").put("durationSeconds", 3600)
      .put("publishDate", "2026-12-01").put("tags", new JsonArray().add("Nature").add("nature ").add("Ocean"));
  }

  private JsonObject create(String contentId, String title) {
    return call(MetadataApi.CREATE, fields(title).put("contentId", contentId).put("contentType", "PROGRAM"), editor);
  }

  private List<EventEnvelope> awaitEvents(String subject, int count) {
    Await.until(count + " events of " + subject, Duration.ofSeconds(15),
      () -> events.poll().stream().filter(r -> subject.equals(r.key())).count() >= count);
    return events.afterOutbox(services.platform(), "metadata", Duration.ofSeconds(15)).stream()
      .filter(r -> subject.equals(r.key()))
      .map(r -> EventEnvelope.decode(Buffer.buffer(r.value()))).toList();
  }

  @Test
  void createsValidatedMetadataForExistingContentOnly() {
    String pid = program();
    JsonObject m = create(pid, "Deep Blue");
    assertThat(m.getInteger("version")).isEqualTo(1);
    assertThat(m.getJsonArray("tags")).containsExactly("nature", "ocean");
    assertThat(call(MetadataApi.BY_CONTENT, new JsonObject().put("contentId", pid), editor)).isEqualTo(m);
    assertThat(call(MetadataApi.GET, new JsonObject().put("id", m.getString("id")), editor)).isEqualTo(m);
    ServiceException dup = refused(MetadataApi.CREATE, fields("again").put("contentId", pid)
      .put("contentType", "PROGRAM"), editor);
    assertThat(dup.code()).isEqualTo(ErrorCode.CONFLICT);
    ServiceException missing = refused(MetadataApi.CREATE, fields("ghost").put("contentId", UUID.randomUUID().toString())
      .put("contentType", "PROGRAM"), editor);
    assertThat(missing.code()).isEqualTo(ErrorCode.UNPROCESSABLE);
    assertThat(missing.details().getJsonObject("fields").containsKey("contentId")).isTrue();
    ServiceException bad = refused(MetadataApi.CREATE, new JsonObject().put("contentId", program())
      .put("contentType", "SONG").put("title", "").put("category", "CARTOONS").put("language", "english")
      .put("durationSeconds", -1).put("publishDate", "01/12/2026")
      .put("tags", new JsonArray().add("x".repeat(51))), editor);
    assertThat(bad.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(bad.details().getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("contentType", "title",
      "category", "language", "durationSeconds", "publishDate", "tags");
  }

  @Test
  void genresCreditsAndAgeRatingAreValidatedVersionedAndPublished() {
    String pid = program();
    JsonObject m = call(MetadataApi.CREATE, fields("Heist").put("contentId", pid).put("contentType", "PROGRAM")
      .put("genres", new JsonArray().add(" Crime ").add("thriller").add("crime"))
      .put("credits", new JsonArray().add(new JsonObject().put("name", "Ana Lima").put("role", "DIRECTOR"))
        .add(new JsonObject().put("name", "Omar Said").put("role", "CAST").put("character", "The Driver")))
      .put("ageRating", 16), editor);
    assertThat(m.getJsonArray("genres")).containsExactly("crime", "thriller");
    assertThat(m.getJsonArray("credits")).hasSize(2);
    assertThat(m.getJsonArray("credits").getJsonObject(1).getString("character")).isEqualTo("The Driver");
    assertThat(m.getInteger("ageRating")).isEqualTo(16);
    JsonObject event = awaitEvents(m.getString("id"), 1).get(0).data();
    assertThat(event.getInteger("ageRating")).isEqualTo(16);
    assertThat(event.getJsonArray("genres")).containsExactly("crime", "thriller");

    for (JsonObject bad : List.of(new JsonObject().put("ageRating", 7), new JsonObject().put("ageRating", "16"),
      new JsonObject().put("genres", new JsonArray().add("x".repeat(41))),
      new JsonObject().put("credits", new JsonArray().add(new JsonObject().put("name", "No role"))),
      new JsonObject().put("credits", new JsonArray().add(new JsonObject().put("name", "X").put("role", "GRIP"))))) {
      ServiceException e = refused(MetadataApi.CREATE, fields("Bad").mergeIn(bad).put("contentId", program())
        .put("contentType", "PROGRAM"), editor);
      assertThat(e.code()).as("%s", bad).isEqualTo(ErrorCode.VALIDATION);
      assertThat(e.details().getJsonObject("fields").fieldNames()).as("%s", bad)
        .anySatisfy(f -> assertThat(f).startsWith(bad.fieldNames().iterator().next()));
    }

    // an update without them clears them; a restore brings them back
    JsonObject v2 = call(MetadataApi.UPDATE, fields("Heist").put("id", m.getString("id")).put("version", 1), editor);
    assertThat(v2.getValue("ageRating")).isNull();
    assertThat(v2.getJsonArray("genres")).isEmpty();
    JsonObject restored = call(MetadataApi.RESTORE, new JsonObject().put("id", m.getString("id")).put("version", 1),
      editor);
    assertThat(restored.getInteger("ageRating")).isEqualTo(16);
    assertThat(restored.getJsonArray("credits")).isEqualTo(m.getJsonArray("credits"));
  }

  @Test
  void languageTagsAreCheckedAndCanonical() {
    JsonObject m = call(MetadataApi.CREATE, fields("Saudade").put("language", "pt-br").put("contentId", program())
      .put("contentType", "PROGRAM"), editor);
    assertThat(m.getString("language")).isEqualTo("pt-BR");
    JsonObject ar = call(MetadataApi.CREATE, fields("الأخبار").put("language", "ar").put("contentId", program())
      .put("contentType", "PROGRAM"), editor);
    assertThat(ar.getString("title")).isEqualTo("الأخبار");
    assertThat(refused(MetadataApi.CREATE, fields("x").put("language", "xx-123456789").put("contentId", program())
      .put("contentType", "PROGRAM"), editor).details().getJsonObject("fields").containsKey("language")).isTrue();
  }

  @Test
  void everyChangeIsAVersionAndAnOldOneCanBeRestored() {
    JsonObject m = create(program(), "Original");
    String id = m.getString("id");
    JsonObject v2 = call(MetadataApi.UPDATE, fields("Second").put("id", id).put("version", 1).put("category", "NEWS"),
      editor);
    assertThat(v2.getInteger("version")).isEqualTo(2);
    assertThat(v2.getString("category")).isEqualTo("NEWS");
    ServiceException stale = refused(MetadataApi.UPDATE, fields("Stale").put("id", id).put("version", 1), editor);
    assertThat(stale.code()).isEqualTo(ErrorCode.CONFLICT);
    call(MetadataApi.UPDATE, fields("Third").put("id", id).put("version", 2), editor);

    JsonObject history = call(MetadataApi.VERSIONS, new JsonObject().put("id", id), editor);
    assertThat(history.getLong("total")).isEqualTo(3);
    assertThat(history.getJsonArray("items").stream().map(v -> ((JsonObject) v).getInteger("version")))
      .containsExactly(3, 2, 1);
    JsonObject first = call(MetadataApi.VERSION, new JsonObject().put("id", id).put("version", 1), editor);
    assertThat(first.getString("title")).isEqualTo("Original");
    assertThat(first.getInteger("version")).isEqualTo(1);

    JsonObject restored = call(MetadataApi.RESTORE, new JsonObject().put("id", id).put("version", 1), editor);
    assertThat(restored.getInteger("version")).isEqualTo(4);
    assertThat(restored.getString("title")).isEqualTo("Original");
    assertThat(restored.getString("category")).isEqualTo("DOCUMENTARY");
    JsonObject latest = call(MetadataApi.VERSIONS, new JsonObject().put("id", id).put("size", 1), editor)
      .getJsonArray("items").getJsonObject(0);
    assertThat(latest.getString("change")).isEqualTo("restored");
    assertThat(latest.getInteger("restoredFrom")).isEqualTo(1);
    assertThat(latest.getString("changedBy")).isEqualTo(editor.userId());
    assertThat(refused(MetadataApi.RESTORE, new JsonObject().put("id", id).put("version", 99), editor).code())
      .isEqualTo(ErrorCode.NOT_FOUND);

    List<EventEnvelope> evs = awaitEvents(id, 4);
    assertThat(evs).extracting(EventEnvelope::type)
      .containsExactly("metadata.created", "metadata.updated", "metadata.updated", "metadata.updated");
    assertThat(evs).extracting(e -> e.data().getInteger("version")).containsExactly(1, 2, 3, 4);
  }

  @Test
  void twoConcurrentUpdatesOfOneVersionHaveOneWinner() {
    String id = create(program(), "Race").getString("id");
    List<Future<JsonObject>> racers = IntStream.range(0, 6).mapToObj(i -> services.bus().<JsonObject>request(
      MetadataApi.UPDATE, fields("Racer " + i).put("id", id).put("version", 1), editor)).toList();
    Await.result(Future.join(racers).otherwiseEmpty());
    assertThat(racers.stream().filter(Future::succeeded).count()).isEqualTo(1);
    assertThat(call(MetadataApi.VERSIONS, new JsonObject().put("id", id), editor).getLong("total")).isEqualTo(2);
  }

  @Test
  void deletedContentTombstonesItsMetadataOnce() {
    String pid = program();
    String id = create(pid, "Short-lived").getString("id");
    call(CmsApi.PROGRAM_DELETE, new JsonObject().put("id", pid), admin);
    Await.until("metadata tombstoned", Duration.ofSeconds(15),
      () -> Await.result(services.bus().request(MetadataApi.GET, new JsonObject().put("id", id), editor)
        .transform(ar -> Future.succeededFuture(ar.failed() && ar.cause() instanceof ServiceException se
          && se.code() == ErrorCode.NOT_FOUND))));
    List<EventEnvelope> evs = awaitEvents(id, 2);
    assertThat(evs).extracting(EventEnvelope::type).containsExactly("metadata.created", "metadata.deleted");
    assertThat(evs.get(1).data().getInteger("version")).isEqualTo(2);
  }

  @Test
  void theServiceRefusesUsersItself() {
    Caller user = services.caller(Role.USER);
    JsonObject anyId = new JsonObject().put("id", UUID.randomUUID().toString());
    assertThat(refused(MetadataApi.GET, anyId, user).code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refused(MetadataApi.CREATE, fields("x").put("contentId", program()).put("contentType", "PROGRAM"), user)
      .code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refused(MetadataApi.GET, anyId, Caller.anonymous()).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
  }
}
