package io.mediamesh.ingest.domain;

import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a source's document becomes a program and items, checked when the source or job is created (so a bad
 * mapping is a 400 naming e.g. {@code mapping.item.id}, not a failed job later). For API sources, JSON Pointers
 * (RFC 6901) say where each field is: {@code items} from the document root, {@code program.*} from the root too,
 * {@code item.*} from each item. For every type, {@code defaults} give language, category and tags where the feed
 * says nothing.
 */
public record Mapping(String items, Map<String, String> program, Map<String, String> item, String language,
                      String category, List<String> tags) {

  public static final Set<String> PROGRAM_FIELDS = Set.of("title", "description", "language", "imageUrl");
  public static final Set<String> ITEM_FIELDS = Set.of("id", "title", "description", "durationSeconds",
    "seasonNumber", "episodeNumber", "publishedAt", "imageUrl", "mediaUrl", "tags");
  /** The metadata service's categories (MetadataApi). */
  public static final List<String> CATEGORIES = List.of("MOVIE", "TV_SHOW", "DOCUMENTARY", "SPORTS", "NEWS",
    "ENTERTAINMENT", "EDUCATIONAL", "MUSIC", "PODCAST", "OTHER");
  private static final int MAX_TAGS = 30;

  public static final Mapping NONE = new Mapping(null, Map.of(), Map.of(), null, null, List.of());

  /** Reads {@code mapping} of a request, recording problems in {@code f}; API sources must map items, id, title. */
  public static Mapping read(Fields f, SourceType type) {
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
  public static Mapping stored(JsonObject m, SourceType type) {
    if (m == null) {
      return NONE;
    }
    Fields f = Fields.of(new JsonObject());
    Mapping mapping = fromJson(m, type, f);
    f.validate();
    return mapping;
  }

  private static Mapping fromJson(JsonObject m, SourceType type, Fields f) {
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
    String language = null;
    String category = null;
    List<String> tags = List.of();
    if (d != null && !(d instanceof JsonObject)) {
      f.problem("mapping.defaults", "must be an object");
    } else if (d != null) {
      JsonObject defaults = (JsonObject) d;
      for (String key : defaults.fieldNames()) {
        if (!Set.of("language", "category", "tags").contains(key)) {
          f.problem("mapping.defaults." + key, "is not a default (language, category, tags)");
        }
      }
      Object lang = defaults.getValue("language");
      if (lang != null) {
        language = lang instanceof String s ? Languages.canonical(s).orElse(null) : null;
        if (language == null) {
          f.problem("mapping.defaults.language", "must be a BCP 47 language tag such as en, ar or pt-BR");
        }
      }
      Object cat = defaults.getValue("category");
      if (cat != null) {
        if (cat instanceof String s && CATEGORIES.contains(s)) {
          category = s;
        } else {
          f.problem("mapping.defaults.category", "must be one of " + String.join(", ", CATEGORIES));
        }
      }
      Object t = defaults.getValue("tags");
      if (t != null) {
        tags = tags(f, t);
      }
    }
    return new Mapping(items, program, item, language, category, tags);
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
      defaults.put("category", category);
    }
    if (!tags.isEmpty()) {
      defaults.put("tags", new JsonArray(tags));
    }
    if (!defaults.isEmpty()) {
      json.put("defaults", defaults);
    }
    return json;
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

  private static List<String> tags(Fields f, Object value) {
    if (!(value instanceof JsonArray array) || array.size() > MAX_TAGS) {
      f.problem("mapping.defaults.tags", "must be a list of at most " + MAX_TAGS + " strings");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object t : array) {
      if (!(t instanceof String s) || s.isBlank() || s.length() > 50) {
        f.problem("mapping.defaults.tags", "each tag must be 1 to 50 characters");
        return List.of();
      }
      out.add(s.strip().toLowerCase(Locale.ROOT));
    }
    return out;
  }
}
