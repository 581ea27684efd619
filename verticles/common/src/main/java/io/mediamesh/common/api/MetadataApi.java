package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The metadata service's event-bus API. Access: ADMIN or EDITOR for everything.
 * <pre>
 * address                          request                                                        reply
 * mediamesh.metadata.create        {contentId, contentType, title, description?, category, language,
 *                                   durationSeconds?, publishDate?, tags?, genres?, credits?,
 *                                   ageRating?}                                                    Metadata
 * mediamesh.metadata.get           {id}                                                           Metadata
 * mediamesh.metadata.by-content    {contentId}                                                    Metadata
 * mediamesh.metadata.update        {id, version, title, description?, category, language,
 *                                   durationSeconds?, publishDate?, tags?}  (replaces the fields) Metadata
 * mediamesh.metadata.versions      {id, page?, size?}                    {items: [VersionInfo], page, size, total}
 * mediamesh.metadata.version       {id, version}                                    Metadata as it was then
 * mediamesh.metadata.restore       {id, version}                  Metadata (a new version with those fields)
 *
 * Metadata    = {id, contentId, contentType: PROGRAM|EPISODE, title, description, category, language,
 *                durationSeconds, publishDate (YYYY-MM-DD), tags[], genres[], credits[], ageRating, version,
 *                createdAt, updatedAt}
 * genres      = up to 10, each 1..40 characters, stored like tags
 * credits     = up to 200 {name, role: DIRECTOR|CAST|WRITER|PRODUCER|HOST, character?}
 * ageRating   = 0, 6, 12, 16 or 18: the minimum viewer age (profiles with a lower limit neither see nor play it)
 * VersionInfo = {version, change: created|updated|restored|deleted, restoredFrom, changedBy, changedAt}
 * category    = MOVIE TV_SHOW DOCUMENTARY SPORTS NEWS ENTERTAINMENT EDUCATIONAL MUSIC PODCAST OTHER
 * language    = a BCP 47 tag (en, ar, pt-BR, ...), stored in canonical form
 * tags        = up to 30, each 1..50 characters, stored trimmed, lower case, without duplicates
 * </pre>
 * Failures: 400 naming each field, 404, 409 for a stale version or metadata that already exists for the
 * content, 422 when the content does not exist in the CMS. Events on metadata.events: metadata.created,
 * metadata.updated (also for a restore), metadata.deleted (when its content is deleted), keyed by metadata id.
 */
public final class MetadataApi {
  public static final String SERVICE = "metadata";
  private static final Access EDITORS = Access.roles(Role.ADMIN, Role.EDITOR);
  private static final Set<String> ISO_LANGUAGES = Set.of(Locale.getISOLanguages());

  public static final Operation<Create> CREATE = op("create", Create::from);
  public static final Operation<ById> GET = op("get", ById::from);
  public static final Operation<ByContent> BY_CONTENT = op("by-content", ByContent::from);
  public static final Operation<Update> UPDATE = op("update", Update::from);
  public static final Operation<Versions> VERSIONS = op("versions", Versions::from);
  public static final Operation<AtVersion> VERSION = op("version", AtVersion::from);
  public static final Operation<AtVersion> RESTORE = op("restore", AtVersion::from);

  private MetadataApi() {
  }

  private static <Q extends Operation.Request> Operation<Q> op(String name, Function<JsonObject, Q> reader) {
    return Operation.of(SERVICE, name, EDITORS, reader);
  }

  public enum Category {
    MOVIE, TV_SHOW, DOCUMENTARY, SPORTS, NEWS, ENTERTAINMENT, EDUCATIONAL, MUSIC, PODCAST, OTHER
  }


  /**
   * The editable part of metadata: what a create sets, an update replaces and a restore brings back. Read with
   * language in canonical form ("pt-br" becomes "pt-BR") and tags trimmed, lower case, without duplicates.
   */
  public record Editable(String title, String description, Category category, String language,
                         Integer durationSeconds, LocalDate publishDate, List<String> tags, List<String> genres,
                         List<Credit> credits, Integer ageRating) {

    public Editable {
      genres = genres == null ? List.of() : List.copyOf(genres);
      credits = credits == null ? List.of() : List.copyOf(credits);
    }

    /** Without genres, credits or age rating (what a feed's import knows). */
    public Editable(String title, String description, Category category, String language, Integer durationSeconds,
                    LocalDate publishDate, List<String> tags) {
      this(title, description, category, language, durationSeconds, publishDate, tags, List.of(), List.of(), null);
    }

    /** Reads the fields from {@code f}, recording each problem there (the caller validates). */
    public static Editable read(Fields f) {
      String title = f.text("title", true, Limits.TITLE_MAX);
      String description = f.text("description", false, Limits.DESCRIPTION_MAX);
      Category category = f.enumValue("category", Category.class, true);
      String language = language(f);
      Integer duration = f.integer("durationSeconds", null, 0, Limits.DURATION_MAX);
      LocalDate publishDate = date(f);
      List<String> tags = words(f, "tags", "tag", Limits.TAGS_MAX, Limits.TAG_LENGTH_MAX);
      List<String> genres = words(f, "genres", "genre", Limits.GENRES_MAX, Limits.GENRE_LENGTH_MAX);
      List<Credit> credits = credits(f);
      Integer ageRating = f.integer("ageRating", null, 0, 18);
      if (ageRating != null && !Limits.AGE_RATINGS.contains(ageRating)) {
        f.problem("ageRating", "must be one of " + Limits.AGE_RATINGS + " (the minimum viewer age)");
      }
      return new Editable(title, description == null ? "" : description, category, language, duration, publishDate,
        tags, genres, credits, ageRating);
    }

    /** Writes the fields into {@code json}; an absent duration, publish date or age rating stays absent. */
    public JsonObject into(JsonObject json) {
      json.put("title", title).put("description", description).put("category", category.name())
        .put("language", language).put("tags", new JsonArray(tags)).put("genres", new JsonArray(genres))
        .put("credits", new JsonArray(credits.stream().map(Credit::toJson).toList()));
      if (durationSeconds != null) {
        json.put("durationSeconds", durationSeconds);
      }
      if (publishDate != null) {
        json.put("publishDate", publishDate.toString());
      }
      if (ageRating != null) {
        json.put("ageRating", ageRating);
      }
      return json;
    }

    /**
     * These fields, keeping the genres, credits and age rating of {@code current} (a Metadata) where these have none:
     * an import replaces what its feed says and leaves what editors added.
     */
    public Editable keepingCatalogOf(JsonObject current) {
      List<String> keptGenres = genres.isEmpty() ? current.getJsonArray("genres", new JsonArray()).stream()
        .map(String::valueOf).toList() : genres;
      List<Credit> keptCredits = credits.isEmpty() ? current.getJsonArray("credits", new JsonArray()).stream()
        .map(o -> Credit.fromJson((JsonObject) o)).toList() : credits;
      Integer keptRating = ageRating != null ? ageRating : current.getInteger("ageRating");
      return new Editable(title, description, category, language, durationSeconds, publishDate, tags, keptGenres,
        keptCredits, keptRating);
    }

    /** A BCP 47 tag with a language, in canonical form. */
    private static String language(Fields f) {
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

    private static LocalDate date(Fields f) {
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

    /** Tags or genres: trimmed, lower case, without duplicates, at most {@code max} of at most {@code length}. */
    private static List<String> words(Fields f, String field, String noun, int max, int length) {
      Object value = f.has(field) ? f.raw(field) : null;
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof JsonArray array)) {
        f.problem(field, "must be a list of strings");
        return List.of();
      }
      Set<String> words = new LinkedHashSet<>();
      for (Object item : array) {
        if (!(item instanceof String s) || s.isBlank() || s.strip().length() > length
          || s.chars().anyMatch(Character::isISOControl)) {
          f.problem(field, "each " + noun + " must be 1 to " + length + " characters");
          return List.of();
        }
        words.add(s.strip().toLowerCase(Locale.ROOT));
      }
      if (words.size() > max) {
        f.problem(field, "at most " + max + " " + field);
        return List.of();
      }
      return new ArrayList<>(words);
    }

    private static List<Credit> credits(Fields f) {
      Object value = f.has("credits") ? f.raw("credits") : null;
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof JsonArray array) || array.size() > Limits.CREDITS_MAX) {
        f.problem("credits", "must be a list of at most " + Limits.CREDITS_MAX + " credits");
        return List.of();
      }
      List<Credit> credits = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof JsonObject o)) {
          f.problem("credits[" + i + "]", "must be an object {name, role, character?}");
          return List.of();
        }
        Fields c = Fields.of(o);
        String name = c.text("name", true, Limits.CREDIT_NAME_MAX);
        CreditRole role = c.enumValue("role", CreditRole.class, true);
        String character = c.text("character", false, Limits.CREDIT_NAME_MAX);
        try {
          c.validate();
        } catch (io.mediamesh.common.bus.ServiceException e) {
          f.problem("credits[" + i + "]", e.getMessage());
          return List.of();
        }
        credits.add(new Credit(name, role, character));
      }
      return credits;
    }
  }

  public enum CreditRole {
    DIRECTOR, CAST, WRITER, PRODUCER, HOST
  }

  /** Who made or appears in the content: a name, a role, and (cast) the character played. */
  public record Credit(String name, CreditRole role, String character) {
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("name", name).put("role", role.name());
      return character == null ? json : json.put("character", character);
    }

    public static Credit fromJson(JsonObject json) {
      return new Credit(json.getString("name"), CreditRole.valueOf(json.getString("role")),
        json.getString("character"));
    }
  }

  /** {@code create}: the metadata of a program or episode that exists in the CMS and has none yet. */
  public record Create(UUID contentId, ContentType contentType, Editable fields) implements Operation.Request {
    public static Create from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID contentId = f.uuid("contentId", true);
      String type = f.string("contentType", true);
      ContentType contentType = type == null ? null : switch (type) {
        case "PROGRAM" -> ContentType.PROGRAM;
        case "EPISODE" -> ContentType.EPISODE;
        default -> {
          f.problem("contentType", "must be PROGRAM or EPISODE");
          yield null;
        }
      };
      Editable fields = Editable.read(f);
      f.validate();
      return new Create(contentId, contentType, fields);
    }

    @Override
    public JsonObject toJson() {
      return fields.into(new JsonObject().put("contentId", contentId.toString())
        .put("contentType", contentType.name()));
    }
  }


  /** {@code update}: replaces the editable fields, given the version the caller read. */
  public record Update(UUID id, int version, Editable fields) implements Operation.Request {
    public static Update from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      Integer version = f.requiredInteger("version", Limits.VERSION_MIN, Limits.VERSION_MAX);
      Editable fields = Editable.read(f);
      f.validate();
      return new Update(id, version, fields);
    }

    @Override
    public JsonObject toJson() {
      return fields.into(new JsonObject().put("id", id.toString()).put("version", version));
    }
  }

  /** {@code versions}: the history of one metadata, newest first, a page of it. */
  public record Versions(UUID id, PageRequest page) implements Operation.Request {
    public static Versions from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      PageRequest page = PageRequest.from(f, Set.of("version"), "version,desc");
      f.validate();
      return new Versions(id, page);
    }

    @Override
    public JsonObject toJson() {
      return page.into(new JsonObject().put("id", id.toString()));
    }
  }

  /** {@code version} and {@code restore}: one version of one metadata. */
  public record AtVersion(UUID id, int version) implements Operation.Request {
    public static AtVersion from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      Integer version = f.requiredInteger("version", Limits.VERSION_MIN, Limits.VERSION_MAX);
      f.validate();
      return new AtVersion(id, version);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("version", version);
    }
  }
}
