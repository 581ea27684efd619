package io.mediamesh.metadata;

import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.api.MetadataApi.Category;
import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.metadata.domain.Metadata;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The metadata API's requests as both sides of the bus read them, and the stored snapshot: no service needed. */
class MetadataRequestsTest {

  private static JsonObject fields(String title) {
    return new JsonObject().put("title", title).put("description", "A show about " + title)
      .put("category", "DOCUMENTARY").put("language", "en").put("durationSeconds", 3600)
      .put("publishDate", "2026-12-01").put("tags", new JsonArray().add("Nature").add("nature ").add("Ocean"));
  }

  private static ServiceException refused(Function<JsonObject, ?> reader, JsonObject body) {
    try {
      reader.apply(body);
    } catch (ServiceException e) {
      return e;
    }
    throw new AssertionError("accepted " + body);
  }

  @Test
  void aCreateNamesEveryBadField() {
    ServiceException bad = refused(MetadataApi.CREATE::read, new JsonObject().put("contentId", "not-a-uuid")
      .put("contentType", "SONG").put("title", "").put("category", "CARTOONS").put("language", "english")
      .put("durationSeconds", -1).put("publishDate", "01/12/2026")
      .put("tags", new JsonArray().add("x".repeat(51))));
    assertThat(bad.code()).isEqualTo(ErrorCode.VALIDATION);
    JsonObject problems = bad.details().getJsonObject("fields");
    assertThat(problems.fieldNames()).containsExactlyInAnyOrder("contentId", "contentType", "title", "category",
      "language", "durationSeconds", "publishDate", "tags");
    assertThat(bad.getMessage()).isEqualTo("contentId: must be a UUID");
    assertThat(problems.getString("contentType")).isEqualTo("must be PROGRAM or EPISODE");
    assertThat(problems.getString("title")).isEqualTo("is required");
    assertThat(problems.getString("durationSeconds")).isEqualTo("must be a whole number from 0 to 172800");
    assertThat(problems.getString("publishDate")).isEqualTo("must be a date as YYYY-MM-DD");
    assertThat(problems.getString("language")).isEqualTo("must be a BCP 47 language tag such as en, ar or pt-BR");
    assertThat(problems.getString("tags")).isEqualTo("each tag must be 1 to 50 characters");
    JsonObject tooMany = fields("x").put("id", UUID.randomUUID().toString()).put("version", 1)
      .put("tags", new JsonArray(IntStream.range(0, 31).mapToObj(i -> "t" + i).toList()));
    assertThat(refused(MetadataApi.UPDATE::read, tooMany).details().getJsonObject("fields").getString("tags"))
      .isEqualTo("at most 30 tags");
  }

  @Test
  void fieldsAreReadCanonicalAndTravelAsRead() {
    UUID contentId = UUID.randomUUID();
    MetadataApi.Create create = MetadataApi.CREATE.read(fields("  Deep Blue ").put("language", "pt-br")
      .put("contentId", contentId.toString()).put("contentType", "EPISODE"));
    assertThat(create.contentType()).isEqualTo(ContentType.EPISODE);
    MetadataApi.Editable f = create.fields();
    assertThat(f.title()).isEqualTo("Deep Blue");
    assertThat(f.language()).isEqualTo("pt-BR");
    assertThat(f.category()).isEqualTo(Category.DOCUMENTARY);
    assertThat(f.tags()).containsExactly("nature", "ocean");
    assertThat(f.publishDate()).isEqualTo(LocalDate.of(2026, 12, 1));
    assertThat(MetadataApi.Create.from(create.toJson())).isEqualTo(create);

    MetadataApi.Update bare = MetadataApi.UPDATE.read(new JsonObject().put("id", UUID.randomUUID().toString())
      .put("version", 3).put("title", "T").put("category", "NEWS").put("language", "ar"));
    assertThat(bare.fields().description()).isEmpty();
    assertThat(bare.fields().tags()).isEmpty();
    assertThat(bare.toJson().containsKey("durationSeconds")).isFalse();
    assertThat(bare.toJson().containsKey("publishDate")).isFalse();
    assertThat(MetadataApi.Update.from(bare.toJson())).isEqualTo(bare);
    assertThat(refused(MetadataApi.UPDATE::read, new JsonObject().put("id", UUID.randomUUID().toString())
      .put("version", 0).put("title", "T").put("category", "NEWS").put("language", "ar")).getMessage())
      .isEqualTo("version: must be a whole number from 1 to 2147483647");
  }

  @Test
  void versionRequestsNameTheirFields() {
    assertThat(refused(MetadataApi.VERSION::read, new JsonObject().put("id", "x")).details()
      .getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("id", "version");
    assertThat(refused(MetadataApi.VERSIONS::read, new JsonObject().put("id", UUID.randomUUID().toString())
      .put("sort", "title")).details().getJsonObject("fields").fieldNames()).containsExactly("sort");
    MetadataApi.Versions versions = MetadataApi.VERSIONS.read(new JsonObject().put("id", UUID.randomUUID().toString())
      .put("size", 1));
    assertThat(versions.page().size()).isEqualTo(1);
    assertThat(versions.page().descending()).isTrue();
    assertThat(MetadataApi.Versions.from(versions.toJson())).isEqualTo(versions);
    assertThat(refused(MetadataApi.BY_CONTENT::read, new JsonObject()).getMessage())
      .isEqualTo("contentId: is required");
  }

  @Test
  void aSnapshotBringsBackTheFieldsItWasTakenOf() {
    MetadataApi.Editable fields = MetadataApi.CREATE.read(fields("Tides").put("contentId", UUID.randomUUID()
      .toString()).put("contentType", "PROGRAM")).fields();
    OffsetDateTime at = OffsetDateTime.parse("2026-01-02T03:04:05.123456Z");
    Metadata m = Metadata.created(UUID.randomUUID(), "PROGRAM", fields, at);
    JsonObject snapshot = m.toJson();
    assertThat(snapshot.getInteger("version")).isEqualTo(1);
    assertThat(snapshot.getString("createdAt")).isEqualTo("2026-01-02T03:04:05.123456Z");
    assertThat(Metadata.fieldsOf(snapshot)).isEqualTo(fields);
    Metadata bare = m.next(new MetadataApi.Editable("T", "", Category.NEWS, "en", null, null, List.of()),
      at.plusSeconds(1));
    // an absent duration or publish date is shown as null, not left out
    assertThat(bare.toJson().fieldNames()).contains("durationSeconds", "publishDate");
    assertThat(bare.toJson().getValue("durationSeconds")).isNull();
    assertThat(Metadata.fieldsOf(bare.toJson())).isEqualTo(bare.fields());
  }
}
