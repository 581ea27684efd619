package io.mediamesh.ingest;

import io.mediamesh.common.api.IngestApi;
import io.mediamesh.common.api.IngestApi.SourceType;
import io.mediamesh.common.api.IngestMapping;
import io.mediamesh.common.api.Limits;
import io.mediamesh.common.api.MetadataApi.Category;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ingest API's requests (IngestApi, IngestMapping) as both sides of the bus read them: no service needed. */
class IngestRequestsTest {

  static ServiceException refused(JsonObject body, SourceType type) {
    return refused(b -> {
      Fields f = Fields.of(b);
      IngestMapping.read(f, type);
      f.validate();
      return null;
    }, body);
  }

  static ServiceException refused(Function<JsonObject, ?> reader, JsonObject body) {
    try {
      reader.apply(body);
    } catch (ServiceException e) {
      return e;
    }
    throw new AssertionError("accepted " + body);
  }

  static Iterable<String> badFields(Function<JsonObject, ?> reader, JsonObject body) {
    return refused(reader, body).details().getJsonObject("fields").fieldNames();
  }

  @Test
  void anApiSourceNeedsItemsIdAndTitles() {
    assertThat(refused(new JsonObject(), SourceType.API).details().getJsonObject("fields").fieldNames())
      .containsExactly("mapping");
    ServiceException e = refused(new JsonObject().put("mapping", new JsonObject()
      .put("program", new JsonObject()).put("item", new JsonObject().put("title", "no-slash").put("colour", "/c"))
      .put("defaults", new JsonObject().put("category", "CARTOONS").put("language", "english"))), SourceType.API);
    assertThat(e.details().getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("mapping.items",
      "mapping.program.title", "mapping.item.id", "mapping.item.title", "mapping.item.colour",
      "mapping.defaults.category", "mapping.defaults.language");
    assertThat(e.details().getJsonObject("fields").getString("mapping.defaults.category"))
      .isEqualTo("must be one of MOVIE, TV_SHOW, DOCUMENTARY, SPORTS, NEWS, ENTERTAINMENT, EDUCATIONAL, MUSIC, "
        + "PODCAST, OTHER");
  }

  @Test
  void feedsTakeDefaultsOnly() {
    assertThat(refused(new JsonObject().put("mapping", new JsonObject().put("items", "/x")), SourceType.RSS)
      .details().getJsonObject("fields").fieldNames()).containsExactly("mapping.items");
    Fields f = Fields.of(new JsonObject().put("mapping", new JsonObject().put("defaults", new JsonObject()
      .put("language", "pt_br").put("category", "PODCAST").put("tags", new JsonArray().add("News ")))));
    IngestMapping m = IngestMapping.read(f, SourceType.RSS);
    f.validate();
    assertThat(m.language()).isEqualTo("pt-BR");
    assertThat(m.category()).isEqualTo(Category.PODCAST);
    assertThat(m.tags()).containsExactly("news");
    assertThat(IngestMapping.stored(m.toJson(), SourceType.RSS)).isEqualTo(m);
  }

  @Test
  void urlsAreHttpOrHttpsWithAHost() {
    assertThat(IngestApi.sourceUrl("HTTP://Example.ORG:80/feed?x=1#top")).map(Object::toString)
      .hasValue("http://example.org/feed?x=1");
    assertThat(IngestApi.sourceUrl("https://example.org")).map(Object::toString).hasValue("https://example.org/");
    for (String bad : new String[] {"file:///etc/passwd", "ftp://example.org/", "gopher://x/", "https://user:pw@x.org/",
      "//example.org/feed", "not a url", "http:///nohost", "jar:file:/x!/y"}) {
      assertThat(IngestApi.sourceUrl(bad)).as(bad).isEmpty();
    }
    assertThat(IngestApi.sourceUrl("https://example.org/" + "x".repeat(Limits.URL_MAX))).isEmpty();
    assertThatThrownBy(() -> IngestMapping.stored(new JsonObject().put("items", 3), SourceType.API))
      .isInstanceOf(ServiceException.class);
  }

  @Test
  void aJobRequestNamesEachBadFieldAndTravelsInNormalForm() {
    assertThat(badFields(IngestApi.JobCreate::from, new JsonObject().put("sourceType", "FTP")
      .put("sourceUrl", "file:///etc/passwd"))).containsExactlyInAnyOrder("sourceType", "sourceUrl");
    assertThat(badFields(IngestApi.JobCreate::from, new JsonObject().put("sourceType", "API")
      .put("sourceUrl", "https://example.org/x.json").put("mapping", new JsonObject().put("items", "/data"))))
      .containsExactlyInAnyOrder("mapping.program", "mapping.item");
    assertThat(refused(IngestApi.JobCreate::from, new JsonObject().put("sourceType", "RSS")
      .put("sourceUrl", "ftp://example.org/")).getMessage())
      .isEqualTo("sourceUrl: must be an absolute http or https URL with a host and no user info, at most 2048 "
        + "characters");

    IngestApi.JobCreate job = IngestApi.JobCreate.from(new JsonObject().put("sourceType", "API")
      .put("sourceUrl", "HTTPS://Example.org:443/catalogue.json").put("mapping", Fixtures.CATALOGUE_MAPPING));
    assertThat(job.sourceUrl()).hasToString("https://example.org/catalogue.json");
    assertThat(job.mapping().category()).isEqualTo(Category.EDUCATIONAL);
    assertThat(IngestApi.JobCreate.from(job.toJson())).isEqualTo(job);
    IngestApi.JobCreate rss = IngestApi.JobCreate.from(new JsonObject().put("sourceType", "RSS")
      .put("sourceUrl", "https://example.org/feed"));
    assertThat(rss.toJson().containsKey("mapping")).isFalse();
    assertThat(IngestApi.JobCreate.from(rss.toJson())).isEqualTo(rss);
  }

  @Test
  void aSourceRequestChecksItsIntervalAgainstTheMinimumItIsReadWith() {
    JsonObject hourly = new JsonObject().put("type", "RSS").put("url", "https://example.org/feed")
      .put("intervalSeconds", 60);
    assertThat(refused(IngestApi.SourceCreate::from, hourly).getMessage())
      .isEqualTo("intervalSeconds: must be a whole number from " + Limits.INTERVAL_MIN + " to " + Limits.INTERVAL_MAX);
    assertThat(IngestApi.SOURCES_CREATE.read(hourly.copy().put("intervalSeconds", 300)).intervalSeconds())
      .isEqualTo(300);
    IngestApi.SourceCreate lowered = IngestApi.sourcesCreate(1).read(hourly);
    assertThat(lowered.intervalSeconds()).isEqualTo(60);
    assertThat(lowered.enabled()).isNull();
    assertThat(IngestApi.SourceCreate.from(lowered.toJson(), 1)).isEqualTo(lowered);
    assertThat(badFields(IngestApi.sourcesCreate(1)::read, hourly.copy().put("intervalSeconds", 0)
      .put("enabled", "yes").put("url", "file:///etc/passwd")))
      .containsExactlyInAnyOrder("url", "intervalSeconds", "enabled");
    assertThat(IngestApi.SOURCES_CREATE.address()).isEqualTo(IngestApi.sourcesCreate(1).address());
    assertThat(IngestApi.SOURCES_CREATE.access()).isEqualTo(IngestApi.sourcesCreate(1).access());
  }

  @Test
  void listsReadTheirFiltersAndPages() {
    assertThat(badFields(IngestApi.JobList::from, new JsonObject().put("status", "DONE").put("sourceId", "x")
      .put("size", 101).put("sort", "title"))).containsExactlyInAnyOrder("status", "sourceId", "size", "sort");
    IngestApi.JobList list = IngestApi.JobList.from(new JsonObject().put("status", "FAILED"));
    assertThat(list.page().sortField()).isEqualTo("createdAt");
    assertThat(list.page().descending()).isTrue();
    assertThat(IngestApi.JobList.from(list.toJson())).isEqualTo(list);
    assertThat(badFields(IngestApi.SourceList::from, new JsonObject().put("page", -1).put("size", 0)))
      .containsExactlyInAnyOrder("page", "size");
    IngestApi.SourceList sources = IngestApi.SourceList.from(new JsonObject());
    assertThat(sources.page().size()).isEqualTo(20);
    assertThat(IngestApi.SourceList.from(sources.toJson())).isEqualTo(sources);
  }
}
