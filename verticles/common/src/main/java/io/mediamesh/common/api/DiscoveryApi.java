package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Addresses;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The discovery service's event-bus API: the public read model of published content, built from events. Every
 * address is public (a token is optional). Reads are served cache-aside from Redis.
 * <pre>
 * address                                  request                                        reply
 * mediamesh.discovery.programs.list        {category?, language?, sort?, page?, size?}    Page of Program
 * mediamesh.discovery.programs.get         {id}                                           Program
 * mediamesh.discovery.programs.batch       {ids: [..] (1..100)}                           {items: [Program]} (found only)
 * mediamesh.discovery.programs.episodes    {id, page?, size?}                             Page of Episode
 * mediamesh.discovery.programs.episodes.batch {ids: [..] (1..100), page?, size?}          {items: [{programId, page}]}
 *                                           (one page per visible program, one query for all: GraphQL's episodes)
 * mediamesh.discovery.episodes.get         {id}                                           Episode
 * mediamesh.discovery.episodes.batch       {ids: [..] (1..100)}                           {items: [Episode]} (found only)
 * mediamesh.discovery.categories           {}                                             {items: [{category, programs}]}
 * mediamesh.discovery.trending             {limit?}                                       {items: [Ranked]}
 * mediamesh.discovery.popular              {limit?}                                       {items: [Ranked]}
 * mediamesh.discovery.views.record         {contentId, contentType: PROGRAM|EPISODE,      {accepted: true|false}
 *                                           viewerId?}
 *
 * Program = {id, title, description, category, language, tags, durationSeconds, publishDate, publishedAt,
 *            thumbnailUrl, episodeCount, version}
 * Episode = {id, programId, seasonNumber, episodeNumber, title, description, durationSeconds, category, language,
 *            tags, publishDate, publishedAt, thumbnailUrl, mediaUrl, version}
 * Ranked  = {type: PROGRAM|EPISODE, score, views, item: Program|Episode}
 * Page    = {items, page, size, total}; page from 0, size 1..100 (default 20).
 * </pre>
 * The CMS's title and description win over the metadata's; metadata supplies category, language, tags,
 * durationSeconds and publishDate. Only published content of a published program is visible. Program sort:
 * {@code publishedAt} (default, newest first) or {@code title} (the most viewed are {@code popular}); episode sort:
 * {@code episodeNumber} (default: by season, then number), {@code publishedAt}, {@code title}. Trending ranks
 * views of the recent window with time decay, popular all views; a viewer (the caller's user id, else
 * {@code viewerId}, which the gateway derives from the client address) counts once per content per window.
 * {@code limit} 1..50 (default 10).
 * Every change to the read model is announced on {@link #INVALIDATED} (a bus publish of an {@link Invalidation})
 * so gateways can drop near-cached answers and their stale copies; what each cached answer depends on is named
 * by {@link DiscoveryFacts}.
 */
public final class DiscoveryApi {
  public static final String SERVICE = "discovery";
  private static final Access ANYONE = Access.anyone();
  /** Program sort fields (API names; the service maps them to columns). */
  public static final Set<String> PROGRAM_SORTS = Set.of("publishedAt", "title");
  public static final String PROGRAM_DEFAULT_SORT = "publishedAt,desc";
  /** Episode sort fields (API names); {@code episodeNumber} orders by season, then number. */
  public static final Set<String> EPISODE_SORTS = Set.of("episodeNumber", "publishedAt", "title");
  public static final String EPISODE_DEFAULT_SORT = "episodeNumber,asc";
  /** At most this many ids in one batch request. */
  public static final int BATCH_MAX = 100;
  /** The longest {@code viewerId} a view may name. */
  public static final int VIEWER_ID_MAX = 128;

  public static final Operation<ProgramList> PROGRAMS_LIST = op("programs.list", ProgramList::from);
  public static final Operation<ById> PROGRAMS_GET = op("programs.get", ById::from);
  public static final Operation<Ids> PROGRAMS_BATCH = op("programs.batch", Ids::from);
  public static final Operation<ProgramEpisodes> PROGRAM_EPISODES = op("programs.episodes", ProgramEpisodes::from);
  public static final Operation<EpisodesBatch> PROGRAM_EPISODES_BATCH = op("programs.episodes.batch",
    EpisodesBatch::from);
  public static final Operation<ById> EPISODES_GET = op("episodes.get", ById::from);
  public static final Operation<Ids> EPISODES_BATCH = op("episodes.batch", Ids::from);
  public static final Operation<Operation.None> CATEGORIES = op("categories", Operation.None::from);
  public static final Operation<Ranking> TRENDING = op("trending", Ranking::from);
  public static final Operation<Ranking> POPULAR = op("popular", Ranking::from);
  public static final Operation<ViewRecord> VIEWS_RECORD = op("views.record", ViewRecord::from);
  public static final String INVALIDATED = Addresses.of(SERVICE, "invalidated");
  /**
   * Redis key prefix of the <b>tombstones</b> the discovery service keeps (shared Redis): {@code GONE_PREFIX + id}
   * exists while a program or episode that changed is not visible (a draft, unpublished, archived or deleted), for
   * {@code services.discovery.goneTtlSeconds}; it is removed when the content is visible again. Whoever keeps copies
   * of public answers (the gateway's stale-if-error store) checks it before serving one, so a taken-down title is
   * never shown again, even by a gateway that missed the {@link #INVALIDATED} publish.
   */
  public static final String GONE_PREFIX = "mediamesh:gone:";

  private DiscoveryApi() {
  }

  private static <Q extends Operation.Request> Operation<Q> op(String name, Function<JsonObject, Q> reader) {
    return Operation.of(SERVICE, name, ANYONE, reader);
  }


  /** {@code programs.list}: visible programs of a category and language (null: any), a page of them. */
  public record ProgramList(String category, String language, PageRequest page) implements Operation.Request {
    public static ProgramList from(JsonObject body) {
      Fields f = Fields.of(body);
      String category = f.text("category", false, Limits.CATEGORY_MAX);
      String language = f.text("language", false, Limits.LANGUAGE_MAX);
      PageRequest page = PageRequest.from(f, PROGRAM_SORTS, PROGRAM_DEFAULT_SORT);
      f.validate();
      return new ProgramList(category, language, page);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = page.into(new JsonObject());
      if (category != null) {
        json.put("category", category);
      }
      return language == null ? json : json.put("language", language);
    }
  }

  /** {@code programs.batch} and {@code episodes.batch}: 1 to {@link #BATCH_MAX} ids, answered found ones only. */
  public record Ids(List<UUID> ids) implements Operation.Request {
    public Ids {
      ids = List.copyOf(ids);
    }

    public static Ids from(JsonObject body) {
      return new Ids(read(body));
    }

    /** The {@code ids} of a batch request; a 400 naming {@code ids} at once when they are not 1 to 100 ids. */
    static List<UUID> read(JsonObject body) {
      Object raw = body == null ? null : body.getValue("ids");
      if (!(raw instanceof JsonArray array) || array.isEmpty() || array.size() > BATCH_MAX) {
        throw ServiceException.validation("ids", "must be a list of 1 to " + BATCH_MAX + " ids");
      }
      List<UUID> ids = new ArrayList<>(array.size());
      for (Object id : array) {
        try {
          ids.add(UUID.fromString(String.valueOf(id)));
        } catch (IllegalArgumentException e) {
          throw ServiceException.validation("ids", "must be a list of 1 to " + BATCH_MAX + " ids");
        }
      }
      return ids;
    }

    static JsonArray json(List<UUID> ids) {
      return new JsonArray(ids.stream().map(UUID::toString).toList());
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("ids", json(ids));
    }
  }

  /** {@code programs.episodes}: a page of a visible program's episodes. */
  public record ProgramEpisodes(UUID id, PageRequest page) implements Operation.Request {
    public static ProgramEpisodes from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      PageRequest page = PageRequest.from(f, EPISODE_SORTS, EPISODE_DEFAULT_SORT);
      f.validate();
      return new ProgramEpisodes(id, page);
    }

    @Override
    public JsonObject toJson() {
      return page.into(new JsonObject().put("id", id.toString()));
    }
  }

  /** {@code programs.episodes.batch}: the same page of episodes of each of 1 to {@link #BATCH_MAX} programs. */
  public record EpisodesBatch(List<UUID> ids, PageRequest page) implements Operation.Request {
    public EpisodesBatch {
      ids = List.copyOf(ids);
    }

    public static EpisodesBatch from(JsonObject body) {
      List<UUID> ids = Ids.read(body);
      Fields f = Fields.of(body);
      PageRequest page = PageRequest.from(f, EPISODE_SORTS, EPISODE_DEFAULT_SORT);
      f.validate();
      return new EpisodesBatch(ids, page);
    }

    /** Page {@code page} of {@code size} episodes in the default order, of each of {@code ids}. */
    public static EpisodesBatch of(List<UUID> ids, int page, int size) {
      return new EpisodesBatch(ids, new PageRequest(page, size, "episodeNumber", false));
    }

    @Override
    public JsonObject toJson() {
      return page.into(new JsonObject().put("ids", Ids.json(ids)));
    }
  }

  /** {@code trending} and {@code popular}: the first {@code limit} (1..50, default 10) of the ranking. */
  public record Ranking(int limit) implements Operation.Request {
    public static Ranking from(JsonObject body) {
      Fields f = Fields.of(body);
      int limit = f.integer("limit", 10, 1, Limits.RANKED_LIMIT_MAX);
      f.validate();
      return new Ranking(limit);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("limit", limit);
    }
  }

  /**
   * {@code views.record}: a view of a program or episode. {@code viewerId} (null when absent) names an anonymous
   * viewer; it is required without a token (checked by the service, which knows the caller) and ignored with one.
   */
  public record ViewRecord(UUID contentId, ContentType contentType, String viewerId) implements Operation.Request {
    public static ViewRecord from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID contentId = f.uuid("contentId", true);
      String type = f.string("contentType", true);
      ContentType contentType = null;
      if (type != null) {
        try {
          contentType = ContentType.valueOf(type);
        } catch (IllegalArgumentException e) {
          f.problem("contentType", "must be PROGRAM or EPISODE");
        }
      }
      String viewerId = f.text("viewerId", false, VIEWER_ID_MAX);
      f.validate();
      return new ViewRecord(contentId, contentType, viewerId);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("contentId", contentId.toString()).put("contentType", contentType.name());
      return viewerId == null ? json : json.put("viewerId", viewerId);
    }
  }

  /**
   * What a change of the read model made out of date, published on {@link #INVALIDATED} once the change has
   * committed and the service's own cache has dropped it: the programs and episodes whose answers changed (a
   * program's episodes' pages with it), whether program lists and categories changed, and which of those programs
   * and episodes are {@code gone} (not visible after the change; see {@link #GONE_PREFIX}).
   */
  public record Invalidation(List<UUID> programs, List<UUID> episodes, boolean lists, List<UUID> gone) {
    public Invalidation {
      programs = List.copyOf(programs);
      episodes = List.copyOf(episodes);
      gone = List.copyOf(gone);
    }

    /** Reads a published message; absent parts are empty ({@code lists} absent: true, the safe side). */
    public static Invalidation from(JsonObject json) {
      return new Invalidation(uuids(json.getJsonArray("programs")), uuids(json.getJsonArray("episodes")),
        json.getBoolean("lists", true), uuids(json.getJsonArray("gone")));
    }

    private static List<UUID> uuids(JsonArray array) {
      List<UUID> ids = new ArrayList<>(array == null ? 0 : array.size());
      if (array != null) {
        array.forEach(id -> ids.add(UUID.fromString(String.valueOf(id))));
      }
      return ids;
    }

    public JsonObject toJson() {
      return new JsonObject().put("programs", Ids.json(programs)).put("episodes", Ids.json(episodes))
        .put("lists", lists).put("gone", Ids.json(gone));
    }
  }
}
