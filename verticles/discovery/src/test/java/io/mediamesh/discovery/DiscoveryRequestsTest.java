package io.mediamesh.discovery;

import io.mediamesh.common.api.ById;
import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.Limits;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The discovery API's requests as both sides read them (the gateway forwarding, the service answering): the
 * defaults, the limits and the fields a refusal names, and a faithful round trip through {@code toJson()}.
 */
class DiscoveryRequestsTest {

  private static <Q extends Operation.Request> Q roundTrip(Operation<Q> op, JsonObject body) {
    Q read = op.read(body);
    assertThat(op.read(read.toJson())).as("read(toJson()) of %s", op).isEqualTo(read);
    return read;
  }

  private static JsonObject refusal(Operation<?> op, JsonObject body) {
    ServiceException e = catchThrowableOfType(() -> op.read(body), ServiceException.class);
    assertThat(e).as("%s refuses %s", op, body).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
    return e.details().getJsonObject("fields");
  }

  @Test
  void aProgramListDefaultsToTheNewestFirstAndKeepsItsFilters() {
    DiscoveryApi.ProgramList all = roundTrip(DiscoveryApi.PROGRAMS_LIST, new JsonObject());
    assertThat(all.category()).isNull();
    assertThat(all.language()).isNull();
    assertThat(all.page().page()).isZero();
    assertThat(all.page().size()).isEqualTo(20);
    assertThat(all.page().sortField()).isEqualTo("publishedAt");
    assertThat(all.page().descending()).isTrue();
    assertThat(all.toJson().containsKey("category")).isFalse();
    DiscoveryApi.ProgramList news = roundTrip(DiscoveryApi.PROGRAMS_LIST, new JsonObject().put("category", " NEWS ")
      .put("language", "en").put("sort", "title").put("page", 2).put("size", 5));
    assertThat(news.category()).isEqualTo("NEWS");
    assertThat(news.page().sortField()).isEqualTo("title");
    assertThat(news.page().descending()).isFalse();
  }

  @Test
  void aProgramListNamesEveryBadField() {
    assertThat(refusal(DiscoveryApi.PROGRAMS_LIST, new JsonObject().put("sort", "price").put("size", 1000)
      .put("category", "x".repeat(Limits.CATEGORY_MAX + 1)).put("language", "y".repeat(Limits.LANGUAGE_MAX + 1))
      .put("page", -1)).fieldNames()).containsExactlyInAnyOrder("sort", "size", "category", "language", "page");
  }

  @Test
  void detailsAreById() {
    UUID id = UUID.randomUUID();
    assertThat(roundTrip(DiscoveryApi.PROGRAMS_GET, new JsonObject().put("id", id.toString()))).isEqualTo(new ById(id));
    assertThat(refusal(DiscoveryApi.EPISODES_GET, new JsonObject().put("id", "not-a-uuid")).fieldNames())
      .containsExactly("id");
  }

  @Test
  void aBatchTakesOneToAHundredIds() {
    List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
    DiscoveryApi.Ids batch = roundTrip(DiscoveryApi.PROGRAMS_BATCH, new JsonObject().put("ids", new JsonArray(ids)));
    assertThat(batch.ids()).extracting(UUID::toString).containsExactlyElementsOf(ids);
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("ids", new JsonArray()),
      new JsonObject().put("ids", "x"), new JsonObject().put("ids", new JsonArray().add("not-a-uuid")),
      new JsonObject().put("ids", new JsonArray(Collections.nCopies(101, UUID.randomUUID().toString()))))) {
      JsonObject fields = refusal(DiscoveryApi.EPISODES_BATCH, bad);
      assertThat(fields.getString("ids")).isEqualTo("must be a list of 1 to 100 ids");
    }
  }

  @Test
  void aProgramsEpisodesAreInSeasonAndNumberOrderByDefault() {
    UUID id = UUID.randomUUID();
    DiscoveryApi.ProgramEpisodes page = roundTrip(DiscoveryApi.PROGRAM_EPISODES,
      new JsonObject().put("id", id.toString()).put("size", 3));
    assertThat(page.id()).isEqualTo(id);
    assertThat(page.page().size()).isEqualTo(3);
    assertThat(page.page().sortField()).isEqualTo("episodeNumber");
    assertThat(refusal(DiscoveryApi.PROGRAM_EPISODES, new JsonObject().put("sort", "views")).fieldNames())
      .containsExactlyInAnyOrder("id", "sort");
    DiscoveryApi.EpisodesBatch batch = roundTrip(DiscoveryApi.PROGRAM_EPISODES_BATCH,
      DiscoveryApi.EpisodesBatch.of(List.of(id), 1, 7).toJson());
    assertThat(batch).isEqualTo(DiscoveryApi.PROGRAM_EPISODES_BATCH.read(new JsonObject()
      .put("ids", new JsonArray().add(id.toString())).put("page", 1).put("size", 7)));
    assertThat(refusal(DiscoveryApi.PROGRAM_EPISODES_BATCH, new JsonObject().put("size", 0)).fieldNames())
      .containsExactly("ids");
  }

  @Test
  void aRankingIsTenByDefaultAndAtMostFifty() {
    assertThat(roundTrip(DiscoveryApi.TRENDING, new JsonObject()).limit()).isEqualTo(10);
    assertThat(roundTrip(DiscoveryApi.POPULAR, new JsonObject().put("limit", 50)).limit()).isEqualTo(50);
    assertThat(refusal(DiscoveryApi.POPULAR, new JsonObject().put("limit", Limits.RANKED_LIMIT_MAX + 1))
      .fieldNames()).containsExactly("limit");
    assertThat(refusal(DiscoveryApi.TRENDING, new JsonObject().put("limit", 0)).fieldNames()).containsExactly("limit");
  }

  @Test
  void aViewNamesItsContentAndTypeAndMayNameItsViewer() {
    UUID id = UUID.randomUUID();
    DiscoveryApi.ViewRecord view = roundTrip(DiscoveryApi.VIEWS_RECORD, new JsonObject()
      .put("contentId", id.toString()).put("contentType", "EPISODE").put("viewerId", "ip-123"));
    assertThat(view).isEqualTo(new DiscoveryApi.ViewRecord(id, ContentType.EPISODE, "ip-123"));
    assertThat(roundTrip(DiscoveryApi.VIEWS_RECORD, new JsonObject().put("contentId", id.toString())
      .put("contentType", "PROGRAM")).viewerId()).isNull();
    JsonObject fields = refusal(DiscoveryApi.VIEWS_RECORD, new JsonObject().put("contentType", "SONG")
      .put("viewerId", "v".repeat(DiscoveryApi.VIEWER_ID_MAX + 1)));
    assertThat(fields.fieldNames()).containsExactlyInAnyOrder("contentId", "contentType", "viewerId");
    assertThat(fields.getString("contentType")).isEqualTo("must be PROGRAM or EPISODE");
  }

  @Test
  void categoriesTakeNothing() {
    assertThat(DiscoveryApi.CATEGORIES.read(new JsonObject().put("anything", 1)).toJson()).isEqualTo(new JsonObject());
  }
}
