package io.mediamesh.ingest.parse;

import io.mediamesh.common.api.IngestApi.SourceType;
import io.mediamesh.common.api.IngestMapping;
import io.mediamesh.ingest.Fixtures;
import io.mediamesh.ingest.domain.Feed;
import io.mediamesh.ingest.domain.ImportFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The feed corpus ({@code feeds/corpus}, built from the RSS 0.90 to 2.0 and Atom 0.3/1.0 specifications' examples and
 * the cases real publishers get wrong): each fixture parses into the number of items {@code expected.properties}
 * names, or is refused for the reason it names; every text field is plain text.
 */
class FeedCorpusTest {

  static Stream<Arguments> corpus() throws IOException {
    Properties expected = new Properties();
    try (InputStream in = FeedCorpusTest.class.getResourceAsStream("/feeds/corpus/expected.properties")) {
      expected.load(Objects.requireNonNull(in, "expected.properties"));
    }
    return expected.stringPropertyNames().stream().sorted()
      .map(name -> Arguments.of(name, expected.getProperty(name).strip()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void parsesAsExpected(String fixture, String expected) {
    byte[] bytes = Fixtures.bytes("corpus/" + fixture);
    if (expected.startsWith("refused:")) {
      assertThatThrownBy(() -> FeedParser.parse(SourceType.RSS, bytes, IngestMapping.NONE))
        .isInstanceOf(ImportFailure.class).hasMessageContaining(expected.substring("refused:".length()));
      return;
    }
    Feed feed = FeedParser.parse(SourceType.RSS, bytes, IngestMapping.NONE);
    assertThat(feed.items()).as("items of %s", fixture).hasSize(Integer.parseInt(expected));
    List<String> texts = new ArrayList<>();
    texts.add(feed.program().title());
    texts.add(feed.program().description());
    for (Feed.Item item : feed.items()) {
      assertThat(item.title()).as("every item of %s has a title", fixture).isNotBlank();
      texts.add(item.title());
      texts.add(item.description());
      texts.addAll(item.tags());
    }
    assertThat(texts.stream().filter(Objects::nonNull))
      .as("plain text only in %s", fixture)
      .allSatisfy(t -> assertThat(t).doesNotContain("<", ">").doesNotContainIgnoringCase("javascript:")
        .doesNotContain("alert("));
  }

  @Test
  void markupIsDecodedAsTheFeedsTypeSays() {
    Map<String, Feed.Item> atom10 = byTitle(FeedParser.parse(SourceType.RSS, Fixtures.bytes("corpus/atom10.xml"),
      IngestMapping.NONE));
    assertThat(atom10).containsKeys("Atom draft-07 snapshot", "An XHTML title");
    assertThat(atom10.get("Atom draft-07 snapshot").description()).isEqualTo("[Update: The Atom draft is finished.]");
    Feed atom03 = FeedParser.parse(SourceType.RSS, Fixtures.bytes("corpus/atom03.xml"), IngestMapping.NONE);
    assertThat(byTitle(atom03).get("Base64 content").description()).isEqualTo("A base64 paragraph.");
    assertThat(byTitle(atom03).get("Atom 0.3 snapshot").description()).isEqualTo("An escaped paragraph.");
    Feed hostile = FeedParser.parse(SourceType.RSS, Fixtures.bytes("corpus/hostile-markup.xml"), IngestMapping.NONE);
    assertThat(hostile.program().title()).isEqualTo("Hostile channel");
    assertThat(hostile.items()).extracting(Feed.Item::title).containsExactly("Click me", "Plugins", "CDATA title");
    assertThat(hostile.items().get(0).description()).isEqualTo("An image");
    Feed loose = FeedParser.parse(SourceType.RSS, Fixtures.bytes("corpus/rss-no-channel.xml"), IngestMapping.NONE);
    assertThat(loose.program().title()).isEqualTo("Channelless");
  }

  private static Map<String, Feed.Item> byTitle(Feed feed) {
    Map<String, Feed.Item> out = new java.util.LinkedHashMap<>();
    feed.items().forEach(i -> out.put(i.title(), i));
    return out;
  }
}
