package io.mediamesh.ingest.domain;

import io.mediamesh.common.api.IngestApi.SourceType;

import java.net.URI;

/**
 * The key of a feed: one feed per type and normal URL (the form {@code IngestApi.sourceUrl} reads), so one feed is
 * one program however its URL was spelled.
 */
public final class FeedUrl {

  private FeedUrl() {
  }

  public static String feedKey(SourceType type, URI normal) {
    return type.name() + " " + normal;
  }
}
