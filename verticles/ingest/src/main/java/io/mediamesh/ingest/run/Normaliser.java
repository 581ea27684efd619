package io.mediamesh.ingest.run;

import io.mediamesh.common.api.Limits;
import io.mediamesh.ingest.domain.Feed;
import io.mediamesh.ingest.domain.Languages;
import io.mediamesh.ingest.domain.Mapping;
import io.mediamesh.ingest.domain.SourceType;
import io.mediamesh.ingest.parse.Text;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed feed as the CMS and metadata services accept it: titles and descriptions within their limits,
 * durations within range, language canonical (the feed's, else the mapping's default, else the configured one),
 * category (the mapping's default, else PODCAST for RSS and OTHER otherwise), tags normalised and at most 30.
 * Each request's hash tells whether an item changed since it was last imported.
 */
final class Normaliser {

  static final int TITLE_MAX = Limits.TITLE_MAX;
  static final int DESCRIPTION_MAX = Limits.DESCRIPTION_MAX;
  static final int MAX_DURATION = 172_800;
  static final int MAX_TAGS = 30;

  record Episode(JsonObject fields, JsonObject metadata, String hash) {
  }

  private final Feed.Program program;
  private final Mapping mapping;
  private final String language;
  private final String category;

  Normaliser(SourceType type, Feed.Program program, Mapping mapping, String defaultLanguage) {
    this.program = program;
    this.mapping = mapping;
    this.language = Languages.canonical(program.language()).or(() -> java.util.Optional.ofNullable(mapping.language()))
      .orElse(defaultLanguage);
    this.category = mapping.category() != null ? mapping.category()
      : program.category() != null ? program.category() : type == SourceType.RSS ? "PODCAST" : "OTHER";
  }

  String programTitle() {
    return Text.truncate(program.title(), TITLE_MAX);
  }

  JsonObject programFields() {
    return new JsonObject().put("title", programTitle()).put("description", description(program.description()));
  }

  JsonObject programMetadata() {
    return metadata(programTitle(), description(program.description()), null, null, program.tags());
  }

  String programHash() {
    return hash(programFields(), programMetadata(), program.imageUrl());
  }

  Episode episode(Feed.Item item) {
    String title = Text.truncate(item.title(), TITLE_MAX);
    String description = description(item.description());
    Integer duration = item.durationSeconds() != null && item.durationSeconds() >= 0
      && item.durationSeconds() <= MAX_DURATION ? item.durationSeconds() : null;
    JsonObject fields = new JsonObject().put("title", title).put("description", description)
      .put("durationSeconds", duration);
    String date = item.publishedAt() == null ? null : item.publishedAt().toLocalDate().toString();
    JsonObject metadata = metadata(title, description, duration, date, item.tags());
    return new Episode(fields, metadata, hash(fields, metadata, item.imageUrl() + " " + item.mediaUrl()));
  }

  private JsonObject metadata(String title, String description, Integer duration, String publishDate,
                              List<String> feedTags) {
    Set<String> tags = new LinkedHashSet<>();
    for (String t : feedTags) {
      String tag = Text.line(t);
      if (tag != null && tag.length() <= 50 && tags.size() < MAX_TAGS) {
        tags.add(tag.toLowerCase(Locale.ROOT));
      }
    }
    for (String t : mapping.tags()) {
      if (tags.size() < MAX_TAGS) {
        tags.add(t);
      }
    }
    JsonObject m = new JsonObject().put("title", title).put("description", description).put("category", category)
      .put("language", language).put("tags", new JsonArray(List.copyOf(tags)));
    if (duration != null) {
      m.put("durationSeconds", duration);
    }
    if (publishDate != null) {
      m.put("publishDate", publishDate);
    }
    return m;
  }

  private static String description(String text) {
    return text == null ? "" : Text.truncate(text, DESCRIPTION_MAX);
  }

  private static String hash(JsonObject fields, JsonObject metadata, String extra) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(fields.encode().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(metadata.encode().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(String.valueOf(extra).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
