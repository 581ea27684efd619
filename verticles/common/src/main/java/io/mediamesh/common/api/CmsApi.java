package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The CMS service's event-bus API. Access: "editor" = ADMIN or EDITOR, "admin" = ADMIN only; USER and anonymous
 * callers are refused (401 without a token, 403 with the USER role).
 * <pre>
 * address                              access  request                                               reply
 * mediamesh.cms.program.create         editor  {title, description?, kind?}                          Program
 * mediamesh.cms.program.get            editor  {id}                                                  Program
 * mediamesh.cms.program.list           editor  {status?, page?, size?, sort?}                        Page of Program
 * mediamesh.cms.program.update         editor  {id, version, title?, description?, kind?}            Program
 * mediamesh.cms.program.delete         admin   {id}                                                  {} (episodes too)
 * mediamesh.cms.program.publish        editor  {id, publishAt?}                                      Program
 * mediamesh.cms.program.unpublish      editor  {id}                                                  Program
 * mediamesh.cms.program.archive        editor  {id}                                                  Program
 * mediamesh.cms.program.restore        editor  {id}                                                  Program (ARCHIVED to DRAFT)
 * mediamesh.cms.episode.create         editor  {programId, seasonNumber, episodeNumber, title,
 *                                               description?, durationSeconds?}                      Episode
 * mediamesh.cms.episode.get            editor  {id}                                                  Episode
 * mediamesh.cms.episode.list           editor  {programId?, status?, page?, size?, sort?}            Page of Episode
 * mediamesh.cms.episode.update         editor  {id, version, title?, description?, seasonNumber?,
 *                                               episodeNumber?, durationSeconds?}                    Episode
 * mediamesh.cms.episode.delete         admin   {id}                                                  {}
 * mediamesh.cms.episode.publish        editor  {id, publishAt?}                                      Episode
 * mediamesh.cms.episode.unpublish      editor  {id}                                                  Episode
 *
 * Program = {id, title, description, kind (SERIES|SHOW|PODCAST|MOVIE, default SERIES), status, publishAt,
 *            publishedAt, createdAt, updatedAt, createdBy, version}; a MOVIE has no episodes (409)
 * Episode = {id, programId, seasonNumber, episodeNumber, title, description, durationSeconds, status, publishAt,
 *            publishedAt, createdAt, updatedAt, version}
 * Page    = {items, page, size, total}; page counts from 0, size 1..100 (default 20);
 *           sort = "field" or "field,asc|desc" over createdAt, updatedAt, publishedAt, title (and seasonNumber,
 *           episodeNumber for episodes); ties are broken by id, so pages are stable.
 * </pre>
 * Status: DRAFT -> PUBLISHED <-> UNPUBLISHED; any of them -> ARCHIVED; ARCHIVED -> DRAFT (restore). An archived
 * program (or an episode of one) cannot be edited or published. A {@code publishAt} in the future schedules the
 * publication: the service publishes it on time, once, also after a restart. Failures: 400 naming the field, 404,
 * 409 for a stale {@code version}, a taken season/episode number or a transition the status does not allow.
 * Events: content.created|updated|published|unpublished|archived|deleted on content.events, keyed by content id,
 * data = the full snapshot (with {@code contentType} PROGRAM or EPISODE, and the version).
 */
public final class CmsApi {
  public static final String SERVICE = "cms";
  private static final Access ADMINS = Access.roles(Role.ADMIN);
  private static final Access EDITORS = Access.roles(Role.ADMIN, Role.EDITOR);
  private static final Set<String> PROGRAM_SORTS = Set.of("createdAt", "updatedAt", "publishedAt", "title");
  private static final Set<String> EPISODE_SORTS = Set.of("createdAt", "updatedAt", "publishedAt", "title",
    "seasonNumber", "episodeNumber");

  public static final Operation<ProgramCreate> PROGRAM_CREATE = op("program.create", EDITORS, ProgramCreate::from);
  public static final Operation<ById> PROGRAM_GET = op("program.get", EDITORS, ById::from);
  public static final Operation<ProgramList> PROGRAM_LIST = op("program.list", EDITORS, ProgramList::from);
  public static final Operation<ProgramUpdate> PROGRAM_UPDATE = op("program.update", EDITORS, ProgramUpdate::from);
  public static final Operation<ById> PROGRAM_DELETE = op("program.delete", ADMINS, ById::from);
  public static final Operation<Publish> PROGRAM_PUBLISH = op("program.publish", EDITORS, Publish::from);
  public static final Operation<ById> PROGRAM_UNPUBLISH = op("program.unpublish", EDITORS, ById::from);
  public static final Operation<ById> PROGRAM_ARCHIVE = op("program.archive", EDITORS, ById::from);
  public static final Operation<ById> PROGRAM_RESTORE = op("program.restore", EDITORS, ById::from);
  public static final Operation<EpisodeCreate> EPISODE_CREATE = op("episode.create", EDITORS, EpisodeCreate::from);
  public static final Operation<ById> EPISODE_GET = op("episode.get", EDITORS, ById::from);
  public static final Operation<EpisodeList> EPISODE_LIST = op("episode.list", EDITORS, EpisodeList::from);
  public static final Operation<EpisodeUpdate> EPISODE_UPDATE = op("episode.update", EDITORS, EpisodeUpdate::from);
  public static final Operation<ById> EPISODE_DELETE = op("episode.delete", ADMINS, ById::from);
  public static final Operation<Publish> EPISODE_PUBLISH = op("episode.publish", EDITORS, Publish::from);
  public static final Operation<ById> EPISODE_UNPUBLISH = op("episode.unpublish", EDITORS, ById::from);

  private CmsApi() {
  }

  private static <Q extends Operation.Request> Operation<Q> op(String name, Access access,
                                                               Function<JsonObject, Q> reader) {
    return Operation.of(SERVICE, name, access, reader);
  }

  /** The workflow's states (see the class comment for the moves between them). */
  public enum Status {
    DRAFT, PUBLISHED, UNPUBLISHED, ARCHIVED;

    /** The states from which content can be published. */
    public boolean publishable() {
      return this == DRAFT || this == UNPUBLISHED;
    }
  }

  /** {@code program.create}: a draft program. */
  public record ProgramCreate(String title, String description, ProgramKind kind) implements Operation.Request {

    /** A SERIES (what an import of episodes makes). */
    public ProgramCreate(String title, String description) {
      this(title, description, ProgramKind.SERIES);
    }

    public static ProgramCreate from(JsonObject body) {
      Fields f = Fields.of(body);
      String title = f.text("title", true, Limits.TITLE_MAX);
      String description = f.text("description", false, Limits.DESCRIPTION_MAX);
      ProgramKind kind = f.enumValue("kind", ProgramKind.class, false);
      f.validate();
      return new ProgramCreate(title, description == null ? "" : description,
        kind == null ? ProgramKind.SERIES : kind);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("title", title).put("description", description).put("kind", kind.name());
    }
  }

  /** What a program is: a SERIES, SHOW or PODCAST has episodes; a MOVIE plays from its own feature asset. */
  public enum ProgramKind {
    SERIES, SHOW, PODCAST, MOVIE
  }

  /** {@code program.list}: programs of one status (or all), a page of them. */
  public record ProgramList(Status status, PageRequest page) implements Operation.Request {
    public static ProgramList from(JsonObject body) {
      Fields f = Fields.of(body);
      Status status = f.enumValue("status", Status.class, false);
      PageRequest page = PageRequest.from(f, PROGRAM_SORTS, "createdAt,desc");
      f.validate();
      return new ProgramList(status, page);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = page.into(new JsonObject());
      return status == null ? json : json.put("status", status.name());
    }
  }

  /** {@code program.update}: the fields given replace the stored ones (a null field is left as it is). */
  public record ProgramUpdate(UUID id, int version, String title, String description, ProgramKind kind)
    implements Operation.Request {

    public ProgramUpdate(UUID id, int version, String title, String description) {
      this(id, version, title, description, null);
    }

    public static ProgramUpdate from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      Integer version = f.requiredInteger("version", Limits.VERSION_MIN, Limits.VERSION_MAX);
      String title = f.has("title") ? f.text("title", true, Limits.TITLE_MAX) : null;
      String description = f.has("description") ? f.text("description", false, Limits.DESCRIPTION_MAX) : null;
      ProgramKind kind = f.enumValue("kind", ProgramKind.class, false);
      f.validate();
      return new ProgramUpdate(id, version, title, description, kind);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id.toString()).put("version", version);
      if (title != null) {
        json.put("title", title);
      }
      if (description != null) {
        json.put("description", description);
      }
      if (kind != null) {
        json.put("kind", kind.name());
      }
      return json;
    }
  }

  /** {@code program.publish} and {@code episode.publish}: now, or at {@code publishAt} when it is in the future. */
  public record Publish(UUID id, OffsetDateTime publishAt) implements Operation.Request {
    public static Publish from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      OffsetDateTime publishAt = f.instant("publishAt", false);
      f.validate();
      return new Publish(id, publishAt);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id.toString());
      return publishAt == null ? json : json.put("publishAt", publishAt.toInstant().toString());
    }
  }

  /** {@code episode.create}: a draft episode of a program that is not archived. */
  public record EpisodeCreate(UUID programId, int seasonNumber, int episodeNumber, String title, String description,
                              Integer durationSeconds) implements Operation.Request {
    public static EpisodeCreate from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID programId = f.uuid("programId", true);
      Integer season = f.requiredInteger("seasonNumber", Limits.SEASON_MIN, Limits.SEASON_MAX);
      Integer number = f.requiredInteger("episodeNumber", Limits.EPISODE_NUMBER_MIN, Limits.EPISODE_NUMBER_MAX);
      String title = f.text("title", true, Limits.TITLE_MAX);
      String description = f.text("description", false, Limits.DESCRIPTION_MAX);
      Integer duration = f.integer("durationSeconds", null, 0, Limits.DURATION_MAX);
      f.validate();
      return new EpisodeCreate(programId, season, number, title, description == null ? "" : description, duration);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("programId", programId.toString()).put("seasonNumber", seasonNumber)
        .put("episodeNumber", episodeNumber).put("title", title).put("description", description);
      return durationSeconds == null ? json : json.put("durationSeconds", durationSeconds);
    }
  }

  /** {@code episode.list}: episodes of one program (or all), of one status (or all), a page of them. */
  public record EpisodeList(UUID programId, Status status, PageRequest page) implements Operation.Request {
    public static EpisodeList from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID programId = f.uuid("programId", false);
      Status status = f.enumValue("status", Status.class, false);
      PageRequest page = PageRequest.from(f, EPISODE_SORTS, "seasonNumber");
      f.validate();
      return new EpisodeList(programId, status, page);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = page.into(new JsonObject());
      if (programId != null) {
        json.put("programId", programId.toString());
      }
      return status == null ? json : json.put("status", status.name());
    }
  }

  /**
   * {@code episode.update}: the fields given replace the stored ones (a null field is left as it is);
   * {@code durationSeconds} may be cleared with an explicit null, so whether it was given is kept apart.
   */
  public record EpisodeUpdate(UUID id, int version, String title, String description, Integer seasonNumber,
                              Integer episodeNumber, boolean durationGiven, Integer durationSeconds)
    implements Operation.Request {
    public static EpisodeUpdate from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      Integer version = f.requiredInteger("version", Limits.VERSION_MIN, Limits.VERSION_MAX);
      String title = f.has("title") ? f.text("title", true, Limits.TITLE_MAX) : null;
      String description = f.has("description") ? f.text("description", false, Limits.DESCRIPTION_MAX) : null;
      Integer season = f.integer("seasonNumber", null, Limits.SEASON_MIN, Limits.SEASON_MAX);
      Integer number = f.integer("episodeNumber", null, Limits.EPISODE_NUMBER_MIN, Limits.EPISODE_NUMBER_MAX);
      Integer duration = f.integer("durationSeconds", null, 0, Limits.DURATION_MAX);
      f.validate();
      return new EpisodeUpdate(id, version, title, description, season, number, body.containsKey("durationSeconds"),
        duration);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id.toString()).put("version", version);
      if (title != null) {
        json.put("title", title);
      }
      if (description != null) {
        json.put("description", description);
      }
      if (seasonNumber != null) {
        json.put("seasonNumber", seasonNumber);
      }
      if (episodeNumber != null) {
        json.put("episodeNumber", episodeNumber);
      }
      return durationGiven ? json.put("durationSeconds", durationSeconds) : json;
    }
  }
}
