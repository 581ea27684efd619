package io.mediamesh.ingest.run;

import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.api.MetadataApi.Category;
import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.MetadataClient;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CMS and metadata clients as ingest uses them, against canned answers on a plain event bus (no services): a 404
 * is "absent", an update goes at the current version and is tried once more on a stale one, episodes are paged.
 */
class ContentClientsTest {

  private final Caller caller = new Caller("ingest-account", java.util.Set.of(Role.EDITOR), "token");
  private Vertx vertx;
  private BusClient bus;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    bus = new BusClient(vertx, 5_000);
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  /** Answers {@code operation} with {@code answer} of each request (a reply, or a ServiceException to fail with). */
  private void answer(Operation<?> operation, Function<JsonObject, Object> answer) {
    Await.result(vertx.eventBus().<JsonObject>consumer(operation.address(), (Message<JsonObject> msg) -> {
      seen.add(operation.name() + " " + msg.body().encode());
      Object reply = answer.apply(msg.body());
      if (reply instanceof ServiceException se) {
        msg.reply(se.toReplyException());
      } else {
        msg.reply(reply);
      }
    }).completion());
  }

  private static ServiceException notFound() {
    return ServiceException.notFound("thing");
  }

  @Test
  void aMissingProgramIsAbsentAndAnyOtherFailureStays() {
    UUID id = UUID.randomUUID();
    answer(CmsApi.PROGRAM_GET, body -> body.getString("id").equals(id.toString())
      ? new JsonObject().put("id", id.toString()).put("version", 1) : notFound());
    CmsClient cms = new CmsClient(bus);
    assertThat(Await.result(cms.program(caller, id))).map(p -> p.getString("id")).hasValue(id.toString());
    assertThat(Await.result(cms.program(caller, UUID.randomUUID()))).isEmpty();
  }

  @Test
  void anUpdateGoesAtTheCurrentVersionAndIsTriedOnceMoreWhenAnEditorSavedInBetween() {
    UUID id = UUID.randomUUID();
    int[] current = {3};
    List<Integer> sent = new ArrayList<>();
    answer(CmsApi.PROGRAM_GET, body -> new JsonObject().put("id", id.toString()).put("version", current[0]));
    answer(CmsApi.PROGRAM_UPDATE, body -> {
      sent.add(body.getInteger("version"));
      if (sent.size() == 1) {
        current[0] = 4; // an editor saved just before
        return ServiceException.staleVersion(3, 4);
      }
      return body.copy().put("version", body.getInteger("version") + 1);
    });
    JsonObject updated = Await.result(new CmsClient(bus).updateProgram(caller, id,
      version -> new CmsApi.ProgramUpdate(id, version, "New title", "")));
    assertThat(sent).containsExactly(3, 4);
    assertThat(updated.getString("title")).isEqualTo("New title");
    assertThat(updated.getInteger("version")).isEqualTo(5);
  }

  @Test
  void aSecondRaceOrAConflictThatIsNotAboutTheVersionFails() {
    UUID id = UUID.randomUUID();
    List<Integer> sent = new ArrayList<>();
    answer(CmsApi.EPISODE_GET, body -> new JsonObject().put("id", id.toString()).put("version", 7));
    answer(CmsApi.EPISODE_UPDATE, body -> {
      sent.add(body.getInteger("version"));
      return body.containsKey("seasonNumber") ? ServiceException.conflict("episode number taken")
        : ServiceException.staleVersion(7, 8);
    });
    CmsClient cms = new CmsClient(bus);
    ServiceException raced = (ServiceException) Await.failure(cms.updateEpisode(caller, id,
      version -> new CmsApi.EpisodeUpdate(id, version, "T", "", null, null, true, null)));
    assertThat(raced.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(sent).containsExactly(7, 7);
    sent.clear();
    ServiceException taken = (ServiceException) Await.failure(cms.updateEpisode(caller, id,
      version -> new CmsApi.EpisodeUpdate(id, version, "T", "", 1, 2, false, null)));
    assertThat(taken.getMessage()).isEqualTo("episode number taken");
    assertThat(sent).containsExactly(7);
  }

  @Test
  void anEpisodeUpdateSendsItsDurationEvenWhenClearedAndAGoneEpisodeIsAbsent() {
    UUID id = UUID.randomUUID();
    answer(CmsApi.EPISODE_GET, body -> body.getString("id").equals(id.toString())
      ? new JsonObject().put("id", id.toString()).put("version", 2) : notFound());
    answer(CmsApi.EPISODE_UPDATE, body -> body);
    CmsClient cms = new CmsClient(bus);
    Optional<JsonObject> updated = Await.result(cms.updateEpisode(caller, id,
      version -> new CmsApi.EpisodeUpdate(id, version, "T", "D", null, null, true, null)));
    assertThat(updated).isPresent();
    assertThat(updated.get().containsKey("durationSeconds")).isTrue();
    assertThat(updated.get().getValue("durationSeconds")).isNull();
    assertThat(updated.get().containsKey("seasonNumber")).isFalse();
    assertThat(Await.result(cms.updateEpisode(caller, UUID.randomUUID(),
      version -> new CmsApi.EpisodeUpdate(id, version, "T", "D", null, null, true, null)))).isEmpty();
  }

  @Test
  void anEpisodeIsFoundByItsNumbersPageByPage() {
    UUID programId = UUID.randomUUID();
    List<JsonObject> all = IntStream.rangeClosed(1, 250).mapToObj(n -> new JsonObject()
      .put("id", UUID.randomUUID().toString()).put("seasonNumber", 1).put("episodeNumber", n)).toList();
    answer(CmsApi.EPISODE_LIST, body -> {
      int page = body.getInteger("page");
      int size = body.getInteger("size");
      return new JsonObject().put("items", new JsonArray(all.subList(Math.min(all.size(), page * size),
        Math.min(all.size(), (page + 1) * size)))).put("page", page).put("size", size).put("total", all.size());
    });
    CmsClient cms = new CmsClient(bus);
    assertThat(Await.result(cms.findEpisode(caller, programId, 1, 201))).hasValue(all.get(200));
    assertThat(seen).hasSize(3);
    assertThat(seen.get(2)).contains("\"programId\":\"" + programId + "\"").contains("\"page\":2")
      .contains("\"size\":100").contains("\"sort\":\"seasonNumber,asc\"");
    seen.clear();
    assertThat(Await.result(cms.findEpisode(caller, programId, 2, 1))).isEmpty();
    assertThat(seen).hasSize(3);
  }

  @Test
  void metadataIsCreatedWhenThereIsNoneAndReplacedWhenThereIs() {
    UUID fresh = UUID.randomUUID();
    UUID known = UUID.randomUUID();
    UUID knownMetadata = UUID.randomUUID();
    answer(MetadataApi.BY_CONTENT, body -> body.getString("contentId").equals(known.toString())
      ? new JsonObject().put("id", knownMetadata.toString()).put("version", 2) : notFound());
    answer(MetadataApi.GET, body -> new JsonObject().put("id", knownMetadata.toString()).put("version", 2));
    answer(MetadataApi.CREATE, body -> body.copy().put("id", UUID.randomUUID().toString()).put("version", 1));
    answer(MetadataApi.UPDATE, body -> body.copy().put("version", body.getInteger("version") + 1));
    MetadataApi.Editable fields = new MetadataApi.Editable("Tides", "", Category.PODCAST, "en", 60, null,
      List.of("sea"));
    MetadataClient metadata = new MetadataClient(bus);

    JsonObject created = Await.result(metadata.save(caller, fresh, ContentType.EPISODE, fields));
    assertThat(created.getString("contentId")).isEqualTo(fresh.toString());
    assertThat(created.getString("contentType")).isEqualTo("EPISODE");
    assertThat(created.getInteger("durationSeconds")).isEqualTo(60);
    assertThat(created.containsKey("publishDate")).isFalse();

    JsonObject replaced = Await.result(metadata.save(caller, known, ContentType.PROGRAM, fields));
    assertThat(replaced.getString("id")).isEqualTo(knownMetadata.toString());
    assertThat(replaced.getInteger("version")).isEqualTo(3);
    assertThat(replaced.getString("category")).isEqualTo("PODCAST");
    assertThat(seen).filteredOn(s -> s.startsWith("update ")).hasSize(1);
    assertThat(seen).filteredOn(s -> s.startsWith("create ")).hasSize(1);
  }
}
