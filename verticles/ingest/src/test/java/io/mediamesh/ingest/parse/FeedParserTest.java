package io.mediamesh.ingest.parse;

import io.mediamesh.common.api.IngestApi.SourceType;
import io.mediamesh.common.api.IngestMapping;
import io.mediamesh.common.validation.Fields;
import io.mediamesh.ingest.Fixtures;
import io.mediamesh.ingest.domain.Feed;
import io.mediamesh.ingest.domain.ImportFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parsers on realistic fixtures: every field the import uses, and the hostile inputs they must refuse. */
class FeedParserTest {

  @Test
  void rssPodcastWithItunesTags() {
    Feed feed = FeedParser.parse(SourceType.RSS, Fixtures.bytes("podcast.xml"), IngestMapping.NONE);
    assertThat(feed.program().title()).isEqualTo("Tide Tables");
    assertThat(feed.program().description())
      .isEqualTo("A weekly show about the sea, the people who work on it and the science under it.");
    assertThat(feed.program().language()).isEqualTo("en-gb");
    assertThat(feed.program().imageUrl()).isEqualTo("https://cdn.tidetables.example.org/art/show-3000.jpg");
    assertThat(feed.program().tags()).containsExactly("Science", "Earth Sciences", "ocean", "Marine Biology",
      "fishing");
    assertThat(feed.items()).hasSize(3);
    Feed.Item ep3 = feed.items().get(0);
    assertThat(ep3.key()).isEqualTo("tidetables-0003");
    assertThat(ep3.title()).isEqualTo("Ep. 3: The Lighthouse Keepers");
    assertThat(ep3.description()).isEqualTo("Three keepers on the last manned lights.\n\nRecorded on the Skerries.");
    assertThat(ep3.durationSeconds()).isEqualTo(50 * 60 + 13);
    assertThat(ep3.seasonNumber()).isEqualTo(1);
    assertThat(ep3.episodeNumber()).isEqualTo(3);
    assertThat(ep3.publishedAt()).isEqualTo(OffsetDateTime.parse("2025-03-18T06:00:00Z"));
    assertThat(ep3.imageUrl()).isEqualTo("https://cdn.tidetables.example.org/art/ep3.jpg");
    assertThat(ep3.mediaUrl()).isEqualTo("https://cdn.tidetables.example.org/audio/ep3.mp3");
    Feed.Item ep2 = feed.items().get(1);
    assertThat(ep2.durationSeconds()).isEqualTo(2478);
    assertThat(ep2.description()).contains("Cornwall & why");
    assertThat(ep2.tags()).containsExactly("Weather");
    Feed.Item ep1 = feed.items().get(2);
    assertThat(ep1.durationSeconds()).isEqualTo(41 * 60 + 5);
    assertThat(ep1.description()).isEqualTo("Why is the sea salty? A chemist and a salt farmer answer.");
  }

  @Test
  void youtubeChannelFeed() {
    Feed feed = FeedParser.parse(SourceType.YOUTUBE, Fixtures.bytes("youtube.xml"), IngestMapping.NONE);
    assertThat(feed.program().title()).isEqualTo("Workshop Notes");
    assertThat(feed.program().description()).contains("Workshop Notes");
    assertThat(feed.items()).extracting(Feed.Item::key).containsExactly("Qm7dT2vXk3A", "b8WnZr0pL5c");
    Feed.Item first = feed.items().get(0);
    assertThat(first.title()).isEqualTo("Sharpening a hand plane iron in ten minutes");
    assertThat(first.description()).isEqualTo("Waterstones, a honing guide and a strop.\n"
      + "Links to the gear are in the pinned comment.");
    assertThat(first.imageUrl()).isEqualTo("https://i2.ytimg.com/vi/Qm7dT2vXk3A/hqdefault.jpg");
    assertThat(first.mediaUrl()).isEqualTo("https://www.youtube.com/watch?v=Qm7dT2vXk3A");
    assertThat(first.publishedAt()).isEqualTo(OffsetDateTime.parse("2025-04-02T15:00:07Z"));
  }

  @Test
  void anRssFeedIsNotAYoutubeFeed() {
    assertThatThrownBy(() -> FeedParser.parse(SourceType.YOUTUBE, Fixtures.bytes("podcast.xml"), IngestMapping.NONE))
      .isInstanceOf(ImportFailure.class).hasMessageContaining("not a YouTube channel feed");
  }

  @Test
  void jsonApiThroughItsMapping() {
    Fields f = Fields.of(new JsonObject().put("mapping", Fixtures.CATALOGUE_MAPPING));
    IngestMapping mapping = IngestMapping.read(f, SourceType.API);
    f.validate();
    Feed feed = FeedParser.parse(SourceType.API, Fixtures.bytes("catalogue.json"), mapping);
    assertThat(feed.program().title()).isEqualTo("Kitchen Chemistry");
    assertThat(feed.program().description()).isEqualTo("Short lessons on what happens when we cook.");
    assertThat(feed.program().language()).isEqualTo("fr-CA");
    assertThat(feed.items()).hasSize(4);
    Feed.Item bread = feed.items().get(0);
    assertThat(bread.key()).isEqualTo("9001");
    assertThat(bread.durationSeconds()).isEqualTo(750);
    assertThat(bread.seasonNumber()).isEqualTo(2);
    assertThat(bread.episodeNumber()).isEqualTo(1);
    assertThat(bread.tags()).containsExactly("Baking", "yeast");
    assertThat(bread.mediaUrl()).isEqualTo("https://media.kitchen.example.com/9001.mp4");
    assertThat(bread.imageUrl()).isEqualTo("https://media.kitchen.example.com/9001.jpg");
    Feed.Item maillard = feed.items().get(1);
    assertThat(maillard.durationSeconds()).isEqualTo(840);
    assertThat(maillard.publishedAt()).isEqualTo(OffsetDateTime.parse("2025-02-13T09:00:00Z"));
    assertThat(maillard.tags()).containsExactly("browning", "Searing");
    Feed.Item emulsions = feed.items().get(2);
    assertThat(emulsions.key()).isEqualTo("9003");
    assertThat(emulsions.durationSeconds()).isNull();
    assertThat(emulsions.publishedAt()).isEqualTo(OffsetDateTime.parse("2025-02-24T00:00:00Z"));
    assertThat(feed.items().get(3).key()).isNull();
  }

  @Test
  void aMappingThatFindsNoArrayFailsClearly() {
    Fields f = Fields.of(new JsonObject().put("mapping", Fixtures.CATALOGUE_MAPPING.copy().put("items", "/data/total")));
    IngestMapping mapping = IngestMapping.read(f, SourceType.API);
    assertThatThrownBy(() -> FeedParser.parse(SourceType.API, Fixtures.bytes("catalogue.json"), mapping))
      .isInstanceOf(ImportFailure.class).hasMessageContaining("mapping.items");
    assertThatThrownBy(() -> FeedParser.parse(SourceType.API, "<html>".getBytes(StandardCharsets.UTF_8), mapping))
      .isInstanceOf(ImportFailure.class).hasMessage("the response is not JSON");
  }

  @Test
  void anRss091FeedWithNetscapesDoctypeIsReadWithoutFetchingTheDtd() {
    // the DTD's host is one no test can reach: had the parser tried to fetch it, it would fail or hang here
    Feed feed = FeedParser.parse(SourceType.RSS, Fixtures.bytes("rss091-netscape.xml"), IngestMapping.NONE);
    assertThat(feed.program().title()).isEqualTo("Harbour Notes");
    assertThat(feed.items()).extracting(Feed.Item::title).containsExactly("The new crane", "Winter moorings");
    // a DOCTYPE after the root element, or one with declarations, is still refused
    String declared = "<?xml version=\"1.0\"?><!DOCTYPE rss PUBLIC \"-//x//y\" \"http://x/y.dtd\" [<!ENTITY e \"x\">]>"
      + "<rss version=\"2.0\"><channel><title>&e;</title></channel></rss>";
    assertThatThrownBy(() -> FeedParser.parse(SourceType.RSS, declared.getBytes(StandardCharsets.UTF_8),
      IngestMapping.NONE)).isInstanceOf(ImportFailure.class).hasMessageContaining("DOCTYPE");
  }

  @Test
  void xxeIsRefusedAndNothingLeaks(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-42");
    String xml = new String(Fixtures.bytes("xxe.xml"), StandardCharsets.UTF_8)
      .replace("SECRET_FILE_URL", secret.toUri().toString()).replace("REMOTE_URL", "http://127.0.0.1:1/dtd");
    assertThatThrownBy(() -> FeedParser.parse(SourceType.RSS, xml.getBytes(StandardCharsets.UTF_8), IngestMapping.NONE))
      .isInstanceOf(ImportFailure.class)
      .hasMessageContaining("DOCTYPE")
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TOP-SECRET"));
  }

  @Test
  void billionLaughsIsRefusedAtOnce() {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a0 \"ha\">");
    for (int i = 1; i < 10; i++) {
      xml.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
    }
    xml.append("]><rss version=\"2.0\"><channel><title>&a9;</title></channel></rss>");
    // refused for its DOCTYPE, before any entity is expanded (the message says so; no timing)
    assertThatThrownBy(() -> FeedParser.parse(SourceType.RSS, xml.toString().getBytes(StandardCharsets.UTF_8),
      IngestMapping.NONE)).isInstanceOf(ImportFailure.class).hasMessageContaining("DOCTYPE");
  }

  @Test
  void deeplyNestedElementsAreRefusedPermanentlyNotAStackOverflow() {
    String xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Deep</title>"
      + "<x>".repeat(50_000) + "</x>".repeat(50_000) + "</channel></rss>";
    assertThatThrownBy(() -> FeedParser.parse(SourceType.RSS, xml.getBytes(StandardCharsets.UTF_8), IngestMapping.NONE))
      .isInstanceOf(ImportFailure.class).hasMessageContaining("deeper than 64 levels")
      .satisfies(e -> assertThat(((ImportFailure) e).retryable()).as("never retried").isFalse());
  }

  @Test
  void garbageIsNotAFeed() {
    assertThatThrownBy(() -> FeedParser.parse(SourceType.RSS, "{\"not\": \"xml\"}".getBytes(StandardCharsets.UTF_8),
      IngestMapping.NONE)).isInstanceOf(ImportFailure.class)
      .hasMessageStartingWith("the response is not well-formed XML (line 1, column 1)");
    assertThatThrownBy(() -> FeedParser.parse(SourceType.RSS, "<html><body>a page</body></html>"
      .getBytes(StandardCharsets.UTF_8), IngestMapping.NONE)).isInstanceOf(ImportFailure.class)
      .hasMessageStartingWith("the feed cannot be read as RSS or Atom (root element <html>)");
  }
}
