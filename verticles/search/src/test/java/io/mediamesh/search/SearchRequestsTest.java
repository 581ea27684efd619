package io.mediamesh.search;

import io.mediamesh.common.api.SearchApi;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The search API's requests as the gateway and the service both read them ({@link SearchApi}): limits, defaults,
 * the fields a refusal names, the round trip through {@code toJson}, and who may call each operation.
 */
class SearchRequestsTest {

  private static JsonObject refusedFields(Operation<?> op, JsonObject body) {
    ServiceException e = catchThrowableOfType(() -> op.read(body), ServiceException.class);
    assertThat(e).as("%s refuses %s", op, body).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
    return e.details().getJsonObject("fields");
  }

  @Test
  void aQueryIsReadWithItsDefaultsAndTrimmed() {
    SearchApi.Query q = SearchApi.QUERY.read(new JsonObject().put("q", "  harbour lights "));
    assertThat(q).isEqualTo(new SearchApi.Query("harbour lights", null, null, null, null, 0, 20));
    assertThat(q.toJson()).isEqualTo(new JsonObject().put("q", "harbour lights").put("page", 0).put("size", 20));
    assertThat(q.withQ("harbor")).isEqualTo(new SearchApi.Query("harbor", null, null, null, null, 0, 20));
  }

  @Test
  void aFullQueryRoundTripsThroughItsJson() {
    UUID program = UUID.randomUUID();
    SearchApi.Query q = new SearchApi.Query("quiz", "EPISODE", "NEWS", "ar", program, 10_000, 100);
    assertThat(SearchApi.Query.from(q.toJson())).isEqualTo(q);
    assertThat(q.toJson().fieldNames()).containsExactly("q", "type", "category", "language", "programId", "page",
      "size");
  }

  @Test
  void aBadQueryIsRefusedNamingEveryBadField() {
    assertThat(refusedFields(SearchApi.QUERY, new JsonObject().put("q", " ")).fieldNames()).containsExactly("q");
    assertThat(refusedFields(SearchApi.QUERY, new JsonObject()).fieldNames()).containsExactly("q");
    JsonObject fields = refusedFields(SearchApi.QUERY, new JsonObject().put("q", "a".repeat(201)).put("type", "SONG")
      .put("category", "c".repeat(51)).put("language", "l".repeat(36)).put("programId", "p")
      .put("page", 10_001).put("size", 101));
    assertThat(fields.fieldNames()).containsExactlyInAnyOrder("q", "type", "category", "language", "programId",
      "page", "size");
    assertThat(fields.getString("type")).isEqualTo("must be PROGRAM or EPISODE");
    assertThat(refusedFields(SearchApi.QUERY, new JsonObject().put("q", "x").put("size", 0)).fieldNames())
      .containsExactly("size");
    // 200 characters is the limit, not past it
    assertThat(SearchApi.QUERY.read(new JsonObject().put("q", "a".repeat(200))).q()).hasSize(200);
  }

  @Test
  void aSuggestionRequestHasALimitOfOneToTwenty() {
    assertThat(SearchApi.SUGGEST.read(new JsonObject().put("q", "moun"))).isEqualTo(new SearchApi.Suggest("moun", 10));
    SearchApi.Suggest s = new SearchApi.Suggest("mountain d", 20);
    assertThat(SearchApi.Suggest.from(s.toJson())).isEqualTo(s);
    assertThat(refusedFields(SearchApi.SUGGEST, new JsonObject().put("q", "m").put("limit", 21)).fieldNames())
      .containsExactly("limit");
    assertThat(refusedFields(SearchApi.SUGGEST, new JsonObject().put("limit", 0)).fieldNames())
      .containsExactlyInAnyOrder("q", "limit");
  }

  @Test
  void queriesAreForAnyoneStatusForEditorsReindexForAdmins() {
    assertThat(SearchApi.QUERY.access()).isEqualTo(Access.anyone());
    assertThat(SearchApi.SUGGEST.access()).isEqualTo(Access.anyone());
    assertThat(SearchApi.STATUS.access()).isEqualTo(Access.roles(Role.ADMIN, Role.EDITOR));
    assertThat(SearchApi.REINDEX.access()).isEqualTo(Access.roles(Role.ADMIN));
    assertThat(SearchApi.STATUS.read(new JsonObject().put("anything", 1))).isEqualTo(Operation.None.INSTANCE);
    assertThat(SearchApi.QUERY.address()).isEqualTo("mediamesh.search.query");
  }
}
