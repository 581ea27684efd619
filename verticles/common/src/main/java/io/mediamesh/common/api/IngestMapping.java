package io.mediamesh.common.api;

import io.mediamesh.common.api.IngestApi.SourceType;
import io.mediamesh.common.api.MetadataApi.Category;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a source's document becomes a program and items (the {@code mapping} of an ingest job or source), checked
 * when the source or job is created (so a bad mapping is a 400 naming e.g. {@code mapping.item.id}, not a failed job
 * later). For API sources, JSON Pointers (RFC 6901) say where each field is: {@code items} from the document root,
 * {@code program.*} from the root too, {@code item.*} from each item. For every type, {@code defaults} give language,
 * category and tags where the feed says nothing.
 */
public record IngestMapping(String items, Map<String, String> program, Map<String, String> item, String language,
                            Category category, List<String> tags) {

  public static final Set<String> PROGRAM_FIELDS = Set.of("title", "description", "language", "imageUrl");
  public static final Set<String> ITEM_FIELDS = Set.of("id", "title", "description", "durationSeconds",
    "seasonNumber", "episodeNumber", "publishedAt", "imageUrl", "mediaUrl", "tags");
  private static final Set<String> ISO_LANGUAGES = Set.of(Locale.getISOLanguages());
  private static final String CATEGORIES = String.join(", ",
    Arrays.stream(Category.values()).map(Enum::name).toList());

  public static final IngestMapping NONE = new IngestMapping(null, Map.of(), Map.of(), null, null, List.of());

  /** Reads {@code mapping} of a request, recording problems in {@code f}; API sources must map items, id, title. */
  public static IngestMapping read(Fields f, SourceType type) {
    Object raw = f.raw("mapping");
    if (raw == null) {
      if (type == SourceType.API) {
        f.problem("mapping", "is required for API sources");
      }
      return NONE;
    }
    if (!(raw instanceof JsonObject m)) {
      f.problem("mapping", "must be an object");
      return NONE;
    }
    return fromJson(m, type, f);
  }

  /** The stored form; validated when it was stored. */
  public static IngestMapping stored(JsonObject m, SourceType type) {
    if (m == null) {
      return NONE;
    }
    Fields f = Fields.of(new JsonObject());
    IngestMapping mapping = fromJson(m, type, f);
    f.validate();
    return mapping;
  }

  /**
   * A feed's language ("en-us", "EN_gb", "fr") as the metadata service accepts it: a BCP 47 tag whose language is
   * an ISO 639 code, in canonical form. Anything else is absent, so an import falls back to a default.
   */
  public static Optional<String> language(String value) {
    if (value == null || value.isBlank() || value.length() > Limits.LANGUAGE_MAX) {
      return Optional.empty();
    }
    String tag = value.strip().replace('_', '-');
    Locale locale = Locale.forLanguageTag(tag);
    String language = locale.getLanguage();
    String canonical = locale.toLanguageTag();
    boolean iso639 = (language.length() == 2 && ISO_LANGUAGES.contains(language)) || language.length() == 3;
    if (!iso639 || canonical.equals("und") || !canonical.equalsIgnoreCase(tag)) {
      return Optional.empty();
    }
    return Optional.of(canonical);
  }

  /** The empty mapping writes nothing (callers leave it out of a request or store null). */
  public boolean isEmpty() {
    return toJson().isEmpty();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (items != null) {
      json.put("items", items);
    }
    if (!program.isEmpty()) {
      json.put("program", new JsonObject(new LinkedHashMap<>(program)));
    }
    if (!item.isEmpty()) {
      json.put("item", new JsonObject(new LinkedHashMap<>(item)));
    }
    JsonObject defaults = new JsonObject();
    if (language != null) {
      defaults.put("language", language);
    }
    if (category != null) {
      defaults.put("category", category.name());
    }
    if (!tags.isEmpty()) {
      defaults.put("tags", new JsonArray(tags));
    }
    if (!defaults.isEmpty()) {
      json.put("defaults", defaults);
    }
    return json;
  }

  private static IngestMapping fromJson(JsonObject m, SourceType type, Fields f) {
    for (String key : m.fieldNames()) {
      if (!Set.of("items", "program", "item", "defaults").contains(key)) {
        f.problem("mapping." + key, "is not a mapping field (items, program, item, defaults)");
      }
    }
    String items = null;
    Map<String, String> program = Map.of();
    Map<String, String> item = Map.of();
    if (type == SourceType.API) {
      items = pointer(f, "mapping.items", m.getValue("items"), true);
      program = pointers(f, "mapping.program", m.getValue("program"), PROGRAM_FIELDS, Set.of("title"));
      item = pointers(f, "mapping.item", m.getValue("item"), ITEM_FIELDS, Set.of("id", "title"));
    } else {
      for (String key : List.of("items", "program", "item")) {
        if (m.containsKey(key)) {
          f.problem("mapping." + key, "applies to API sources only");
        }
      }
    }
    Object d = m.getValue("defaults");
    if (d != null && !(d instanceof JsonObject)) {
      f.problem("mapping.defaults", "must be an object");
    }
    JsonObject defaults = d instanceof JsonObject o ? o : new JsonObject();
    for (String key : defaults.fieldNames()) {
      if (!Set.of("language", "category", "tags").contains(key)) {
        f.problem("mapping.defaults." + key, "is not a default (language, category, tags)");
      }
    }
    return new IngestMapping(items, program, item, defaultLanguage(f, defaults.getValue("language")),
      defaultCategory(f, defaults.getValue("category")), defaultTags(f, defaults.getValue("tags")));
  }

  private static String defaultLanguage(Fields f, Object value) {
    if (value == null) {
      return null;
    }
    String language = value instanceof String s ? language(s).orElse(null) : null;
    if (language == null) {
      f.problem("mapping.defaults.language", "must be a BCP 47 language tag such as en, ar or pt-BR");
    }
    return language;
  }

  private static Category defaultCategory(Fields f, Object value) {
    if (value == null) {
      return null;
    }
    for (Category c : Category.values()) {
      if (c.name().equals(value)) {
        return c;
      }
    }
    f.problem("mapping.defaults.category", "must be one of " + CATEGORIES);
    return null;
  }

  private static List<String> defaultTags(Fields f, Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > Limits.TAGS_MAX) {
      f.problem("mapping.defaults.tags", "must be a list of at most " + Limits.TAGS_MAX + " strings");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object t : array) {
      if (!(t instanceof String s) || s.isBlank() || s.length() > Limits.TAG_LENGTH_MAX) {
        f.problem("mapping.defaults.tags", "each tag must be 1 to " + Limits.TAG_LENGTH_MAX + " characters");
        return List.of();
      }
      out.add(s.strip().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static String pointer(Fields f, String name, Object value, boolean required) {
    if (value == null) {
      if (required) {
        f.problem(name, "is required");
      }
      return null;
    }
    if (!(value instanceof String s) || s.length() > 500 || !(s.isEmpty() || s.startsWith("/"))) {
      f.problem(name, "must be a JSON Pointer such as /items or /data/0/title");
      return null;
    }
    try {
      JsonPointer.from(s);
      return s;
    } catch (IllegalArgumentException e) {
      f.problem(name, "must be a JSON Pointer such as /items or /data/0/title");
      return null;
    }
  }

  private static Map<String, String> pointers(Fields f, String name, Object value, Set<String> known,
                                              Set<String> required) {
    if (!(value instanceof JsonObject o)) {
      f.problem(name, value == null ? "is required" : "must be an object of JSON Pointers");
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : o.fieldNames()) {
      if (!known.contains(key)) {
        f.problem(name + "." + key, "is not a mapped field (" + String.join(", ", known.stream().sorted().toList())
          + ")");
      }
    }
    for (String key : known.stream().sorted().toList()) {
      String p = pointer(f, name + "." + key, o.getValue(key), required.contains(key));
      if (p != null) {
        out.put(key, p);
      }
    }
    return out;
  }
}
