package io.mediamesh.ingest.domain;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A parsed feed, normalised whatever its format: the program it describes and its items, each keyed by what
 * identifies it in the feed (GUID, video id, mapped id). Text is plain (no markup) and not yet trimmed to the
 * CMS's limits; absent values are null.
 */
public record Feed(Program program, List<Item> items) {

  public record Program(String title, String description, String language, String imageUrl, String category,
                        List<String> tags) {
  }

  public record Item(String key, String title, String description, Integer durationSeconds, Integer seasonNumber,
                     Integer episodeNumber, OffsetDateTime publishedAt, String imageUrl, String mediaUrl,
                     List<String> tags) {
  }
}
