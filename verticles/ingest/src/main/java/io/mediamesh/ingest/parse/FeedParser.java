package io.mediamesh.ingest.parse;

import io.mediamesh.common.api.IngestApi.SourceType;
import io.mediamesh.common.api.IngestMapping;
import io.mediamesh.ingest.domain.Feed;

/**
 * Turns a fetched response into a {@link Feed}, by the source's declared type. CPU work on a bounded input (the
 * fetcher caps its size): call it on a worker thread. Fails with an {@code ImportFailure} saying what is wrong.
 */
public final class FeedParser {

  private FeedParser() {
  }

  public static Feed parse(SourceType type, byte[] body, IngestMapping mapping) {
    return switch (type) {
      case RSS -> RssParser.parse(body);
      case YOUTUBE -> YouTubeParser.parse(body);
      case API -> JsonApiParser.parse(body, mapping);
    };
  }

  /** What to ask the source for. */
  public static String accept(SourceType type) {
    return type == SourceType.API ? "application/json"
      : "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
  }
}
