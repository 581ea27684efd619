package io.mediamesh.ingest.run;

import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.IngestApi.SourceType;
import io.mediamesh.common.api.IngestMapping;
import io.mediamesh.common.api.Limits;
import io.mediamesh.common.api.MetadataApi.Category;
import io.mediamesh.common.api.MetadataApi.Editable;
import io.mediamesh.ingest.domain.Feed;
import io.mediamesh.ingest.parse.Text;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A parsed feed as the CMS and metadata services accept it: titles and descriptions within their limits,
 * durations within range, language canonical (the feed's, else the mapping's default, else the configured one),
 * category (the mapping's default, else PODCAST for RSS and OTHER otherwise), tags normalised and at most 30.
 * Each request's hash tells whether an item changed since it was last imported: it is taken over the requests as
 * they are sent, so what the services would be told again is exactly what is skipped.
 */
final class Normaliser {

  /** One item as an episode and its metadata. */
  record Episode(String title, String description, Integer durationSeconds, Editable metadata, String hash) {

    CmsApi.EpisodeCreate create(UUID programId, int season, int number) {
      return new CmsApi.EpisodeCreate(programId, season, number, title, description, durationSeconds);
    }

    /** Replaces title, description and duration (cleared when the feed no longer has one); numbers stay. */
    CmsApi.EpisodeUpdate update(UUID id, int version) {
      return new CmsApi.EpisodeUpdate(id, version, title, description, null, null, true, durationSeconds);
    }
  }

  private final Feed.Program program;
  private final String fallbackTitle;
  private final IngestMapping mapping;
  private final String language;
  private final Category category;

  /**
   * {@code fallbackTitle}: the program's title when the feed has none (many real feeds have no channel title; the
   * import goes on under a name the editor can change).
   */
  Normaliser(SourceType type, Feed.Program program, IngestMapping mapping, String defaultLanguage,
             String fallbackTitle) {
    this.program = program;
    this.fallbackTitle = fallbackTitle;
    this.mapping = mapping;
    this.language = IngestMapping.language(program.language()).or(() -> Optional.ofNullable(mapping.language()))
      .orElse(defaultLanguage);
    this.category = mapping.category() != null ? mapping.category()
      : known(program.category()).orElse(type == SourceType.RSS ? Category.PODCAST : Category.OTHER);
  }

  String programTitle() {
    String title = program.title() == null || program.title().isBlank() ? fallbackTitle : program.title();
    return Text.truncate(title, Limits.TITLE_MAX);
  }

  CmsApi.ProgramCreate programCreate() {
    return new CmsApi.ProgramCreate(programTitle(), description(program.description()));
  }

  CmsApi.ProgramUpdate programUpdate(UUID id, int version) {
    return new CmsApi.ProgramUpdate(id, version, programTitle(), description(program.description()));
  }

  Editable programMetadata() {
    return metadata(programTitle(), description(program.description()), null, null, program.tags());
  }

  String programHash() {
    JsonObject fields = new JsonObject().put("title", programTitle()).put("description",
      description(program.description()));
    return hash(fields, programMetadata(), program.imageUrl());
  }

  Episode episode(Feed.Item item) {
    String title = Text.truncate(item.title(), Limits.TITLE_MAX);
    String description = description(item.description());
    Integer duration = item.durationSeconds() != null && item.durationSeconds() >= 0
      && item.durationSeconds() <= Limits.DURATION_MAX ? item.durationSeconds() : null;
    LocalDate date = item.publishedAt() == null ? null : item.publishedAt().toLocalDate();
    Editable metadata = metadata(title, description, duration, date, item.tags());
    JsonObject fields = new JsonObject().put("title", title).put("description", description)
      .put("durationSeconds", duration);
    return new Episode(title, description, duration, metadata,
      hash(fields, metadata, item.imageUrl() + " " + item.mediaUrl()));
  }

  private Editable metadata(String title, String description, Integer duration, LocalDate publishDate,
                            List<String> feedTags) {
    Set<String> tags = new LinkedHashSet<>();
    for (String t : feedTags) {
      String tag = Text.title(t);
      if (tag != null && tag.length() <= Limits.TAG_LENGTH_MAX && tags.size() < Limits.TAGS_MAX) {
        tags.add(tag.toLowerCase(Locale.ROOT));
      }
    }
    for (String t : mapping.tags()) {
      if (tags.size() < Limits.TAGS_MAX) {
        tags.add(t);
      }
    }
    return new Editable(title, description, category, language, duration, publishDate, List.copyOf(tags));
  }

  private static Optional<Category> known(String category) {
    return Arrays.stream(Category.values()).filter(c -> c.name().equals(category)).findFirst();
  }

  private static String description(String text) {
    return text == null ? "" : Text.truncate(text, Limits.DESCRIPTION_MAX);
  }

  private static String hash(JsonObject fields, Editable metadata, String extra) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(fields.encode().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(metadata.into(new JsonObject()).encode().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(String.valueOf(extra).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
