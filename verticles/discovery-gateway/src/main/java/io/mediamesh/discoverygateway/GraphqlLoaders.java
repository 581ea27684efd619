package io.mediamesh.discoverygateway;

import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.json.JsonObject;
import org.dataloader.BatchLoader;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * How the GraphQL schema's fields reach the services: one bus request built as its operation's record
 * ({@link #call}), and the per-request DataLoaders that batch what other objects name (Episode.program, a program's
 * episodes, the details of {@code program}/{@code episode}) into one {@code programs.batch},
 * {@code episodes.batch} or {@code programs.episodes.batch} request per level of the query, so a list does not cost
 * N+1 calls.
 */
final class GraphqlLoaders {

  static final String PROGRAMS = "programs";
  static final String EPISODES = "episodes";
  static final String PROGRAM_EPISODES = "programEpisodes";

  /** A program's page of episodes, as {@code Program.episodes} asks for it. */
  record EpisodesKey(String programId, int page, int size) {
  }

  private final Downstream discovery;

  GraphqlLoaders(Downstream discovery) {
    this.discovery = discovery;
  }

  /**
   * The loaders of one request (a DataLoader caches by key for the request it serves only), asking as its caller:
   * the services answer what the caller's profile may see.
   */
  DataLoaderRegistry registry(Caller caller) {
    DataLoaderRegistry loaders = new DataLoaderRegistry();
    loaders.register(PROGRAMS, details(DiscoveryApi.PROGRAMS_BATCH, caller));
    loaders.register(EPISODES, details(DiscoveryApi.EPISODES_BATCH, caller));
    loaders.register(PROGRAM_EPISODES, programEpisodes(caller));
    return loaders;
  }

  /**
   * One bus request, built as the operation's record (a request that does not read fails naming the field, as the
   * service's refusal would); the reply as plain maps for graphql-java.
   */
  static <Q extends Operation.Request> CompletionStage<Map<String, Object>> call(Downstream d, Operation<Q> operation,
                                                                                 Caller caller, Supplier<Q> request) {
    JsonObject body;
    try {
      body = request.get().toJson();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return d.<JsonObject>request(operation, body, caller, true)
      .map(GraphqlLoaders::plain).toCompletionStage();
  }

  /** The {@code items} of a reply (none when absent). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> items(Map<String, Object> reply) {
    Object items = reply.get("items");
    return items instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  /** One batch request for every id a query needed; answers in the order of the ids (null where not found). */
  private DataLoader<String, Map<String, Object>> details(Operation<DiscoveryApi.Ids> batchOperation, Caller caller) {
    BatchLoader<String, Map<String, Object>> batch = ids -> call(discovery, batchOperation, caller,
      () -> new DiscoveryApi.Ids(uuids(ids))).thenApply(r -> {
        Map<Object, Map<String, Object>> byId = new HashMap<>();
        items(r).forEach(i -> byId.put(i.get("id"), i));
        List<Map<String, Object>> ordered = new ArrayList<>(ids.size());
        ids.forEach(id -> ordered.add(byId.get(id)));
        return ordered;
      });
    return DataLoaderFactory.newDataLoader(batch);
  }

  /**
   * {@code Program.episodes} of every program at one level of the query in one request
   * ({@code programs.episodes.batch}, one query in the service), grouped by page and size: not one call per program.
   */
  private DataLoader<EpisodesKey, Map<String, Object>> programEpisodes(Caller caller) {
    BatchLoader<EpisodesKey, Map<String, Object>> batch = keys -> {
      Map<List<Integer>, List<EpisodesKey>> groups = new LinkedHashMap<>();
      keys.forEach(k -> groups.computeIfAbsent(List.of(k.page(), k.size()), g -> new ArrayList<>()).add(k));
      Map<EpisodesKey, Map<String, Object>> pages = new ConcurrentHashMap<>();
      List<CompletableFuture<?>> calls = new ArrayList<>();
      groups.forEach((paging, group) -> {
        for (int from = 0; from < group.size(); from += DiscoveryApi.BATCH_MAX) {
          List<EpisodesKey> slice = group.subList(from, Math.min(group.size(), from + DiscoveryApi.BATCH_MAX));
          List<String> programIds = slice.stream().map(EpisodesKey::programId).distinct().toList();
          calls.add(call(discovery, DiscoveryApi.PROGRAM_EPISODES_BATCH, caller,
            () -> DiscoveryApi.EpisodesBatch.of(uuids(programIds), paging.get(0), paging.get(1)))
            .thenAccept(r -> items(r).forEach(i -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> page = (Map<String, Object>) i.get("page");
              pages.put(new EpisodesKey(String.valueOf(i.get("programId")), paging.get(0), paging.get(1)), page);
            })).toCompletableFuture());
        }
      });
      return CompletableFuture.allOf(calls.toArray(new CompletableFuture[0]))
        .thenApply(done -> keys.stream().map(k -> pages.getOrDefault(k, Map.of("items", List.of(), "page", k.page(),
          "size", k.size(), "total", 0))).toList());
    };
    return DataLoaderFactory.newDataLoader(batch);
  }

  private static List<UUID> uuids(List<String> ids) {
    return ids.stream().map(UUID::fromString).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plain(JsonObject json) {
    return json.mapTo(Map.class);
  }
}
