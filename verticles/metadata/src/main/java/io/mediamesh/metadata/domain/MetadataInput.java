package io.mediamesh.metadata.domain;

import io.mediamesh.common.api.Limits;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonArray;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Schema validation of the editable metadata fields, reporting every field at fault. */
public final class MetadataInput {

  public static final int MAX_TAGS = Limits.TAGS_MAX;
  public static final int MAX_TAG_LENGTH = Limits.TAG_LENGTH_MAX;
  private static final Set<String> ISO_LANGUAGES = Set.of(Locale.getISOLanguages());

  private MetadataInput() {
  }

  public static Metadata.Fields read(Fields f) {
    String title = f.text("title", true, Limits.TITLE_MAX);
    String description = f.text("description", false, Limits.DESCRIPTION_MAX);
    Category category = f.enumValue("category", Category.class, true);
    String language = language(f);
    Integer duration = f.integer("durationSeconds", null, 0, Limits.DURATION_MAX);
    LocalDate publishDate = date(f);
    List<String> tags = tags(f);
    return new Metadata.Fields(title, description == null ? "" : description, category, language, duration,
      publishDate, tags);
  }

  /** A BCP 47 tag with a language, returned in canonical form ("pt-br" becomes "pt-BR"). */
  static String language(Fields f) {
    String value = f.string("language", true);
    if (value == null) {
      return null;
    }
    Locale locale = Locale.forLanguageTag(value.trim());
    String canonical = locale.toLanguageTag();
    String language = locale.getLanguage();
    // the syntax allows 5-8 letter language subtags ("english" parses); only ISO 639 codes are real languages
    boolean iso639 = (language.length() == 2 && ISO_LANGUAGES.contains(language)) || language.length() == 3;
    if (!iso639 || canonical.equals("und") || !canonical.equalsIgnoreCase(value.trim())) {
      f.problem("language", "must be a BCP 47 language tag such as en, ar or pt-BR");
      return null;
    }
    return canonical;
  }

  static LocalDate date(Fields f) {
    String value = f.string("publishDate", false);
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      f.problem("publishDate", "must be a date as YYYY-MM-DD");
      return null;
    }
  }

  static List<String> tags(Fields f) {
    Object value = f.has("tags") ? f.raw("tags") : null;
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      f.problem("tags", "must be a list of strings");
      return List.of();
    }
    Set<String> tags = new LinkedHashSet<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isBlank() || s.strip().length() > MAX_TAG_LENGTH
        || s.chars().anyMatch(Character::isISOControl)) {
        f.problem("tags", "each tag must be 1 to " + MAX_TAG_LENGTH + " characters");
        return List.of();
      }
      tags.add(s.strip().toLowerCase(Locale.ROOT));
    }
    if (tags.size() > MAX_TAGS) {
      f.problem("tags", "at most " + MAX_TAGS + " tags");
      return List.of();
    }
    return new ArrayList<>(tags);
  }
}
