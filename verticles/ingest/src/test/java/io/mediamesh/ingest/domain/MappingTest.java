package io.mediamesh.ingest.domain;

import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingTest {

  static ServiceException refused(JsonObject body, SourceType type) {
    Fields f = Fields.of(body);
    Mapping.read(f, type);
    try {
      f.validate();
    } catch (ServiceException e) {
      return e;
    }
    throw new AssertionError("accepted " + body);
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
  }

  @Test
  void feedsTakeDefaultsOnly() {
    assertThat(refused(new JsonObject().put("mapping", new JsonObject().put("items", "/x")), SourceType.RSS)
      .details().getJsonObject("fields").fieldNames()).containsExactly("mapping.items");
    Fields f = Fields.of(new JsonObject().put("mapping", new JsonObject().put("defaults", new JsonObject()
      .put("language", "pt_br").put("category", "PODCAST").put("tags", new io.vertx.core.json.JsonArray().add("News ")))));
    Mapping m = Mapping.read(f, SourceType.RSS);
    f.validate();
    assertThat(m.language()).isEqualTo("pt-BR");
    assertThat(m.tags()).containsExactly("news");
    assertThat(Mapping.stored(m.toJson(), SourceType.RSS)).isEqualTo(m);
  }

  @Test
  void urlsAreHttpOrHttpsWithAHost() {
    assertThat(FeedUrl.parse("HTTP://Example.ORG:80/feed?x=1#top")).map(Object::toString)
      .hasValue("http://example.org/feed?x=1");
    assertThat(FeedUrl.parse("https://example.org")).map(Object::toString).hasValue("https://example.org/");
    for (String bad : new String[] {"file:///etc/passwd", "ftp://example.org/", "gopher://x/", "https://user:pw@x.org/",
      "//example.org/feed", "not a url", "http:///nohost", "jar:file:/x!/y"}) {
      assertThat(FeedUrl.parse(bad)).as(bad).isEmpty();
    }
    assertThatThrownBy(() -> Mapping.stored(new JsonObject().put("items", 3), SourceType.API))
      .isInstanceOf(ServiceException.class);
  }
}
