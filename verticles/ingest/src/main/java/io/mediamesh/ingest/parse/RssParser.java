package io.mediamesh.ingest.parse;

import com.rometools.rome.feed.synd.SyndCategory;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEnclosure;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import io.mediamesh.ingest.domain.Feed;
import org.jdom2.Element;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.mediamesh.ingest.parse.XmlFeeds.ITUNES;
import static io.mediamesh.ingest.parse.XmlFeeds.attribute;
import static io.mediamesh.ingest.parse.XmlFeeds.child;
import static io.mediamesh.ingest.parse.XmlFeeds.childText;

/**
 * RSS 0.9x to 2.0 (podcasts with iTunes tags) and Atom: the channel is the program, each item an episode keyed by
 * its GUID (Atom: its id), falling back to its link, then its enclosure URL. iTunes tags supply durations, season
 * and episode numbers, images, summaries and keywords; categories become tags.
 */
final class RssParser {

  private RssParser() {
  }

  static Feed parse(byte[] bytes) {
    SyndFeed feed = XmlFeeds.read(bytes);
    List<Element> markup = feed.getForeignMarkup();
    Set<String> tags = new LinkedHashSet<>();
    child(markup, ITUNES, "category").ifPresent(c -> addCategory(tags, c));
    keywords(tags, childText(markup, ITUNES, "keywords"));
    feed.getCategories().forEach(c -> add(tags, c.getName()));
    String image = feed.getImage() != null ? feed.getImage().getUrl() : null;
    if (image == null) {
      image = attribute(child(markup, ITUNES, "image"), "href");
    }
    String description = Text.fromHtml(feed.getDescription());
    if (description == null) {
      description = Text.fromHtml(childText(markup, ITUNES, "summary"));
    }
    Feed.Program program = new Feed.Program(Text.title(feed.getTitle()), description, feed.getLanguage(), image,
      null, List.copyOf(tags));
    return new Feed(program, feed.getEntries().stream().map(entry -> item(entry)).toList());
  }

  private static Feed.Item item(SyndEntry entry) {
    List<Element> markup = entry.getForeignMarkup();
    String enclosure = entry.getEnclosures().stream().map(SyndEnclosure::getUrl).filter(u -> u != null && !u.isBlank())
      .findFirst().orElse(null);
    String key = firstPresent(entry.getUri(), entry.getLink(), enclosure);
    String description = entry.getDescription() == null ? null : Text.fromHtml(entry.getDescription().getValue());
    if (description == null) {
      description = entry.getContents().stream().map(SyndContent::getValue).map(Text::fromHtml)
        .filter(d -> d != null).findFirst().orElse(null);
    }
    if (description == null) {
      description = Text.fromHtml(childText(markup, ITUNES, "summary"));
    }
    Integer duration = Text.durationSeconds(childText(markup, ITUNES, "duration")).stream().boxed().findFirst()
      .orElse(null);
    Set<String> tags = new LinkedHashSet<>();
    for (SyndCategory c : entry.getCategories()) {
      add(tags, c.getName());
    }
    keywords(tags, childText(markup, ITUNES, "keywords"));
    String title = Text.title(entry.getTitle());
    if (title == null) {
      title = Text.title(childText(markup, ITUNES, "title"));
    }
    return new Feed.Item(key == null ? null : key.strip(), title, description, duration,
      Text.integer(childText(markup, ITUNES, "season")), Text.integer(childText(markup, ITUNES, "episode")),
      XmlFeeds.time(entry.getPublishedDate() != null ? entry.getPublishedDate() : entry.getUpdatedDate()),
      attribute(child(markup, ITUNES, "image"), "href"), enclosure, List.copyOf(tags));
  }

  private static void addCategory(Set<String> tags, Element category) {
    add(tags, category.getAttributeValue("text"));
    for (Element sub : category.getChildren("category", ITUNES)) {
      add(tags, sub.getAttributeValue("text"));
    }
  }

  private static void keywords(Set<String> tags, String keywords) {
    if (keywords != null) {
      for (String k : keywords.split(",")) {
        add(tags, k);
      }
    }
  }

  static void add(Set<String> tags, String tag) {
    String t = Text.title(tag);
    if (t != null) {
      tags.add(t);
    }
  }

  private static String firstPresent(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
