package io.mediamesh.discovery;

import io.mediamesh.common.api.Limits;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.validation.Fields;
import io.mediamesh.common.validation.Paging;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** The discovery API (see {@code DiscoveryApi}): validated requests answered through the read cache. */
final class DiscoveryService {

  private static final Map<String, String> PROGRAM_SORT = Map.of("publishedAt", "published_at", "title", "title");
  private static final Map<String, String> EPISODE_SORT = Map.of("episodeNumber", "season_number,episode_number",
    "publishedAt", "published_at", "title", "title");
  private static final Set<String> TYPES = Set.of("PROGRAM", "EPISODE");

  private final ReadModel model;
  private final ReadCache cache;
  private final Views views;
  private final long detailTtlMs;
  private final long listTtlMs;

  DiscoveryService(ReadModel model, ReadCache cache, Views views, long detailTtlMs, long listTtlMs) {
    this.model = model;
    this.cache = cache;
    this.views = views;
    this.detailTtlMs = detailTtlMs;
    this.listTtlMs = listTtlMs;
  }

  static String programDep(Object id) {
    return "program:" + id;
  }

  static String episodeDep(Object id) {
    return "episode:" + id;
  }

  static String listDep(String category, String language) {
    return "lists:c=" + (category == null ? "*" : category) + ":l=" + (language == null ? "*" : language);
  }

  static final String CATEGORIES_DEP = "categories";

  Future<JsonObject> program(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return programById(id).map(found -> required(found, "program"));
  }

  Future<JsonObject> episode(JsonObject body) {
    UUID id = Fields.requiredId(body, "id");
    return episodeById(id).map(found -> required(found, "episode"));
  }

  Future<JsonObject> programById(UUID id) {
    String key = programDep(id);
    return cache.get(key, List.of(key), detailTtlMs, () -> model.program(id));
  }

  Future<JsonObject> episodeById(UUID id) {
    String key = episodeDep(id);
    return cache.get(key, List.of(key), detailTtlMs, () -> model.episode(id));
  }

  Future<JsonObject> programs(JsonObject body) {
    Fields f = Fields.of(body);
    String category = f.text("category", false, Limits.CATEGORY_MAX);
    String language = f.text("language", false, Limits.LANGUAGE_MAX);
    Paging paging = Paging.from(f, PROGRAM_SORT, "publishedAt,desc");
    f.validate();
    String key = "programs:" + listDep(category, language) + ":" + paging.page() + ":" + paging.size() + ":"
      + paging.orderBy().replace(' ', '_');
    return cache.get(key, List.of(listDep(category, language)), listTtlMs,
      () -> model.programs(category, language, paging));
  }

  Future<JsonObject> episodesOf(JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("id", true);
    Paging paging = Paging.from(f, EPISODE_SORT, "episodeNumber,asc");
    f.validate();
    String key = "program-episodes:" + id + ":" + paging.page() + ":" + paging.size() + ":"
      + paging.orderBy().replace(' ', '_');
    return cache.get(key, List.of(programDep(id)), listTtlMs, () -> model.episodesOf(id, paging))
      .map(found -> required(found, "program"));
  }

  /** One page of episodes for each of up to 100 visible programs, in one query (uncached: it is one query). */
  Future<JsonObject> episodesOfMany(JsonObject body) {
    List<UUID> ids = ids(body);
    Fields f = Fields.of(body);
    Paging paging = Paging.from(f, EPISODE_SORT, "episodeNumber,asc");
    f.validate();
    return model.episodesOfMany(ids, paging);
  }

  Future<JsonObject> categories() {
    return cache.get(CATEGORIES_DEP, List.of(CATEGORIES_DEP), listTtlMs, model::categories);
  }

  Future<JsonObject> programsBatch(JsonObject body) {
    return batch(body, this::programById);
  }

  Future<JsonObject> episodesBatch(JsonObject body) {
    return batch(body, this::episodeById);
  }

  private Future<JsonObject> batch(JsonObject body, Function<UUID, Future<JsonObject>> byId) {
    List<UUID> ids = ids(body);
    List<Future<JsonObject>> found = new ArrayList<>(ids.size());
    ids.forEach(id -> found.add(byId.apply(id)));
    return Future.all(found).map(all -> {
      JsonArray items = new JsonArray();
      found.forEach(one -> {
        if (one.result() != null) {
          items.add(one.result());
        }
      });
      return new JsonObject().put("items", items);
    });
  }

  private static List<UUID> ids(JsonObject body) {
    Object raw = body == null ? null : body.getValue("ids");
    if (!(raw instanceof JsonArray array) || array.isEmpty() || array.size() > 100) {
      throw ServiceException.validation("ids", "must be a list of 1 to 100 ids");
    }
    List<UUID> ids = new ArrayList<>(array.size());
    for (Object id : array) {
      try {
        ids.add(UUID.fromString(String.valueOf(id)));
      } catch (IllegalArgumentException e) {
        throw ServiceException.validation("ids", "must be a list of 1 to 100 ids");
      }
    }
    return ids;
  }

  Future<JsonObject> trending(JsonObject body) {
    int limit = limit(body);
    return views.trending(limit * 2, nowSeconds()).compose(ranked -> items(ranked, limit));
  }

  Future<JsonObject> popular(JsonObject body) {
    int limit = limit(body);
    return views.popular(limit * 2).compose(ranked -> items(ranked, limit));
  }

  /** The ranked content that is still visible, with its current public shape. */
  private Future<JsonObject> items(List<Views.Ranked> ranked, int limit) {
    List<Future<JsonObject>> details = new ArrayList<>(ranked.size());
    for (Views.Ranked r : ranked) {
      UUID id = UUID.fromString(r.id());
      details.add(r.type().equals("PROGRAM") ? programById(id) : episodeById(id));
    }
    return Future.all(details).map(all -> {
      JsonArray items = new JsonArray();
      for (int i = 0; i < ranked.size() && items.size() < limit; i++) {
        JsonObject item = details.get(i).result();
        if (item != null) {
          Views.Ranked r = ranked.get(i);
          items.add(new JsonObject().put("type", r.type()).put("score", Math.round(r.score() * 1000) / 1000.0)
            .put("views", r.views()).put("item", item));
        }
      }
      return new JsonObject().put("items", items);
    });
  }

  Future<JsonObject> recordView(Caller caller, JsonObject body) {
    Fields f = Fields.of(body);
    UUID id = f.uuid("contentId", true);
    String type = f.string("contentType", true);
    if (type != null && !TYPES.contains(type)) {
      f.problem("contentType", "must be PROGRAM or EPISODE");
    }
    String viewer = caller.authenticated() ? "user:" + caller.userId() : f.text("viewerId", false, 128);
    if (viewer == null && !f.has("viewerId")) {
      f.problem("viewerId", "is required without a token");
    }
    f.validate();
    String who = viewer.startsWith("user:") ? viewer : "anon:" + viewer;
    Future<JsonObject> visible = type.equals("PROGRAM") ? programById(id) : episodeById(id);
    return visible.compose(item -> {
      required(item, type.equals("PROGRAM") ? "program" : "episode");
      return views.record(type, id.toString(), who, nowSeconds());
    }).map(accepted -> new JsonObject().put("accepted", accepted));
  }

  private static int limit(JsonObject body) {
    Fields f = Fields.of(body);
    int limit = f.integer("limit", 10, 1, Limits.RANKED_LIMIT_MAX);
    f.validate();
    return limit;
  }

  private static JsonObject required(JsonObject found, String what) {
    if (found == null) {
      throw ServiceException.notFound(what);
    }
    return found;
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
