package io.mediamesh.discovery;

import io.mediamesh.common.api.AgeRatings;
import io.mediamesh.common.api.ById;
import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.DiscoveryFacts;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.validation.Paging;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** The discovery API (see {@code DiscoveryApi}): requests as the API's records, answered through the read cache. */
final class DiscoveryService {

  /** The columns of the API's sort fields ({@code DiscoveryApi.PROGRAM_SORTS}, {@code EPISODE_SORTS}). */
  private static final Map<String, String> PROGRAM_SORT = Map.of("publishedAt", "published_at", "title", "title");
  private static final Map<String, String> EPISODE_SORT = Map.of("episodeNumber", "season_number,episode_number",
    "publishedAt", "published_at", "title", "title");

  private final ReadModel model;
  private final ReadCache cache;
  private final Views views;
  private final long detailTtlMs;
  private final long listTtlMs;
  private final Clock clock;

  DiscoveryService(ReadModel model, ReadCache cache, Views views, DiscoveryConfig config, Clock clock) {
    this.model = model;
    this.cache = cache;
    this.views = views;
    this.detailTtlMs = config.detailTtlMs();
    this.listTtlMs = config.listTtlMs();
    this.clock = clock;
  }

  Future<JsonObject> program(Caller caller, ById request) {
    return programById(request.id()).map(found -> required(allowed(found, caller.ageLimit()), "program"));
  }

  Future<JsonObject> episode(Caller caller, ById request) {
    return episodeById(request.id()).map(found -> required(allowed(found, caller.ageLimit()), "episode"));
  }

  /**
   * A detail, or null when the caller's age limit does not allow it (its {@code ageRating}: the episode's own, else
   * its program's). Details are cached once for every limit and filtered here, so the cache holds one copy.
   */
  static JsonObject allowed(JsonObject detail, Integer limit) {
    return detail == null || !AgeRatings.allows(limit, detail.getInteger("ageRating")) ? null : detail;
  }

  Future<JsonObject> programById(UUID id) {
    String key = DiscoveryFacts.program(id);
    return cache.get(key, List.of(key), detailTtlMs, () -> model.program(id));
  }

  Future<JsonObject> episodeById(UUID id) {
    String key = DiscoveryFacts.episode(id);
    return cache.get(key, List.of(key), detailTtlMs, () -> model.episode(id));
  }

  /**
   * A page of programs. Lists are cached per age tier ({@link AgeRatings#tier}: the limit, not the caller), so a
   * limited profile is never answered from an entry made for another tier.
   */
  Future<JsonObject> programs(Caller caller, DiscoveryApi.ProgramList request) {
    Paging paging = Paging.of(request.page(), PROGRAM_SORT);
    Integer limit = caller.ageLimit();
    String lists = DiscoveryFacts.lists(request.category(), request.language());
    String key = lists + ":" + pageKey(paging) + ":t=" + AgeRatings.tier(limit);
    return cache.get(key, List.of(lists), listTtlMs,
      () -> model.programs(request.category(), request.language(), limit, paging));
  }

  Future<JsonObject> episodesOf(Caller caller, DiscoveryApi.ProgramEpisodes request) {
    UUID id = request.id();
    Integer limit = caller.ageLimit();
    Paging paging = Paging.of(request.page(), EPISODE_SORT);
    String key = DiscoveryFacts.programEpisodes(id) + pageKey(paging) + ":t=" + AgeRatings.tier(limit);
    return cache.get(key, List.of(DiscoveryFacts.program(id)), listTtlMs, () -> model.episodesOf(id, limit, paging))
      .map(found -> required(found, "program"));
  }

  /** One page of episodes for each of up to 100 visible programs, in one query (uncached: it is one query). */
  Future<JsonObject> episodesOfMany(Caller caller, DiscoveryApi.EpisodesBatch request) {
    return model.episodesOfMany(request.ids(), caller.ageLimit(), Paging.of(request.page(), EPISODE_SORT));
  }

  Future<JsonObject> categories(Caller caller) {
    Integer limit = caller.ageLimit();
    return cache.get(DiscoveryFacts.CATEGORIES + ":t=" + AgeRatings.tier(limit), List.of(DiscoveryFacts.CATEGORIES),
      listTtlMs, () -> model.categories(limit));
  }

  Future<JsonObject> programsBatch(Caller caller, DiscoveryApi.Ids request) {
    return batch(request.ids(), this::programById, caller.ageLimit());
  }

  Future<JsonObject> episodesBatch(Caller caller, DiscoveryApi.Ids request) {
    return batch(request.ids(), this::episodeById, caller.ageLimit());
  }

  private static Future<JsonObject> batch(List<UUID> ids, Function<UUID, Future<JsonObject>> byId, Integer limit) {
    List<Future<JsonObject>> found = new ArrayList<>(ids.size());
    ids.forEach(id -> found.add(byId.apply(id)));
    return Future.all(found).map(all -> {
      JsonArray items = new JsonArray();
      found.forEach(one -> {
        JsonObject item = allowed(one.result(), limit);
        if (item != null) {
          items.add(item);
        }
      });
      return new JsonObject().put("items", items);
    });
  }

  Future<JsonObject> trending(Caller caller, DiscoveryApi.Ranking request) {
    int limit = request.limit();
    return views.trending(limit * 2, nowSeconds()).compose(ranked -> items(ranked, limit, caller.ageLimit()));
  }

  Future<JsonObject> popular(Caller caller, DiscoveryApi.Ranking request) {
    int limit = request.limit();
    return views.popular(limit * 2).compose(ranked -> items(ranked, limit, caller.ageLimit()));
  }

  /** The ranked content that is still visible (and within the age limit), with its current public shape. */
  private Future<JsonObject> items(List<Views.Ranked> ranked, int limit, Integer ageLimit) {
    List<Future<JsonObject>> details = new ArrayList<>(ranked.size());
    for (Views.Ranked r : ranked) {
      UUID id = UUID.fromString(r.id());
      details.add(r.type().equals("PROGRAM") ? programById(id) : episodeById(id));
    }
    return Future.all(details).map(all -> {
      JsonArray items = new JsonArray();
      for (int i = 0; i < ranked.size() && items.size() < limit; i++) {
        JsonObject item = allowed(details.get(i).result(), ageLimit);
        if (item != null) {
          Views.Ranked r = ranked.get(i);
          items.add(new JsonObject().put("type", r.type()).put("score", Math.round(r.score() * 1000) / 1000.0)
            .put("views", r.views()).put("item", item));
        }
      }
      return new JsonObject().put("items", items);
    });
  }

  /** Counts a view of visible content; a caller with a token is the viewer, else the {@code viewerId} named. */
  Future<JsonObject> recordView(Caller caller, DiscoveryApi.ViewRecord request) {
    String viewer;
    if (caller.authenticated()) {
      viewer = "user:" + caller.userId();
    } else if (request.viewerId() != null) {
      viewer = "anon:" + request.viewerId();
    } else {
      throw ServiceException.validation("viewerId", "is required without a token");
    }
    boolean program = request.contentType() == ContentType.PROGRAM;
    UUID id = request.contentId();
    Future<JsonObject> visible = program ? programById(id) : episodeById(id);
    return visible.compose(item -> {
      required(item, program ? "program" : "episode");
      return views.record(request.contentType().name(), id.toString(), viewer, nowSeconds());
    }).map(accepted -> new JsonObject().put("accepted", accepted));
  }

  /** The part of a list's key that names its page: page, size and order. */
  private static String pageKey(Paging paging) {
    return paging.page() + ":" + paging.size() + ":" + paging.orderBy().replace(' ', '_');
  }

  private static JsonObject required(JsonObject found, String what) {
    if (found == null) {
      throw ServiceException.notFound(what);
    }
    return found;
  }

  private long nowSeconds() {
    return clock.millis() / 1000;
  }
}
