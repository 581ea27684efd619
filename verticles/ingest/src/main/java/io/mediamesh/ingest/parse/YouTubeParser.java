package io.mediamesh.ingest.parse;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndLink;
import io.mediamesh.ingest.domain.Feed;
import io.mediamesh.ingest.domain.ImportFailure;
import org.jdom2.Element;

import java.util.List;
import java.util.Optional;

import static io.mediamesh.ingest.parse.XmlFeeds.MEDIA;
import static io.mediamesh.ingest.parse.XmlFeeds.YOUTUBE;
import static io.mediamesh.ingest.parse.XmlFeeds.attribute;
import static io.mediamesh.ingest.parse.XmlFeeds.child;
import static io.mediamesh.ingest.parse.XmlFeeds.childText;

/**
 * A YouTube channel feed ({@code /feeds/videos.xml?channel_id=...}): Atom whose entries carry {@code yt:videoId}
 * and a {@code media:group} with the description and thumbnail. The channel becomes the program; each video an
 * episode keyed by its video id, with its watch URL as media.
 */
final class YouTubeParser {

  private YouTubeParser() {
  }

  static Feed parse(byte[] bytes) {
    SyndFeed feed = XmlFeeds.read(bytes);
    if (!"atom_1.0".equals(feed.getFeedType())) {
      throw ImportFailure.permanent("the response is not a YouTube channel feed (Atom 1.0 expected)");
    }
    String channelId = childText(feed.getForeignMarkup(), YOUTUBE, "channelId");
    String author = feed.getAuthors().isEmpty() ? null : feed.getAuthors().get(0).getName();
    String title = Text.title(feed.getTitle() != null ? feed.getTitle() : author);
    String description = Text.fromHtml(feed.getDescription());
    if (description == null && title != null) {
      description = "Videos of the YouTube channel " + title + ".";
    }
    Feed.Program program = new Feed.Program(title, description, feed.getLanguage(), null, null,
      channelId == null ? List.of() : List.of("youtube"));
    return new Feed(program, feed.getEntries().stream().map(entry -> item(entry)).toList());
  }

  private static Feed.Item item(SyndEntry entry) {
    List<Element> markup = entry.getForeignMarkup();
    String videoId = childText(markup, YOUTUBE, "videoId");
    if (videoId == null && entry.getUri() != null && entry.getUri().startsWith("yt:video:")) {
      videoId = entry.getUri().substring("yt:video:".length());
    }
    Optional<Element> group = child(markup, MEDIA, "group");
    List<Element> groupChildren = group.map(Element::getChildren).orElse(List.of());
    String description = Text.clean(childText(groupChildren, MEDIA, "description"));
    String thumbnail = attribute(child(groupChildren, MEDIA, "thumbnail"), "url");
    String watch = entry.getLinks().stream().filter(l -> l.getRel() == null || "alternate".equals(l.getRel()))
      .map(SyndLink::getHref).findFirst().orElse(entry.getLink());
    String title = Text.title(entry.getTitle());
    if (title == null) {
      title = Text.title(childText(groupChildren, MEDIA, "title"));
    }
    return new Feed.Item(videoId, title, description, null, null, null,
      XmlFeeds.time(entry.getPublishedDate() != null ? entry.getPublishedDate() : entry.getUpdatedDate()),
      thumbnail, watch, List.of());
  }
}
