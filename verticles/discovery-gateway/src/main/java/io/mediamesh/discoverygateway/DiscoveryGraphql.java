package io.mediamesh.discoverygateway;

import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.SearchApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.http.Contracts;
import io.mediamesh.gateway.GatewayRequest;
import io.mediamesh.gateway.OperationHandler;
import io.mediamesh.gateway.Reply;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.dataloader.BatchLoader;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /graphql}: the schema of {@code graphql/discovery.graphqls}, executed with graphql-java behind the
 * gateway's checks (caller, rate limit, body limit, contract validation). Queries deeper than {@code maxDepth} or
 * costlier than {@code maxComplexity} (one point per field) are refused before any data is fetched. Programs and
 * episodes named by other objects (Episode.program, ranked lists) are loaded through per-request DataLoaders that
 * batch them into one {@code programs.batch} / {@code episodes.batch} request, so a list does not cost N+1 calls.
 */
final class DiscoveryGraphql implements OperationHandler {

  private static final String PROGRAMS = "programs";
  private static final String EPISODES = "episodes";

  private final GraphQL graphql;
  private final Downstream discovery;
  private final Downstream search;

  DiscoveryGraphql(Downstream discovery, Downstream search, int maxDepth, int maxComplexity) {
    this.discovery = discovery;
    this.search = search;
    GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(
      new SchemaParser().parse(Contracts.load("graphql/discovery.graphqls").toString()), wiring());
    this.graphql = GraphQL.newGraphQL(schema).instrumentation(new ChainedInstrumentation(List.of(
      new MaxQueryDepthInstrumentation(maxDepth), new MaxQueryComplexityInstrumentation(maxComplexity)))).build();
  }

  @Override
  public Future<Reply> handle(GatewayRequest req) {
    JsonObject body = req.body();
    DataLoaderRegistry loaders = new DataLoaderRegistry();
    loaders.register(PROGRAMS, loader(DiscoveryApi.PROGRAMS_BATCH));
    loaders.register(EPISODES, loader(DiscoveryApi.EPISODES_BATCH));
    JsonObject variables = body.getJsonObject("variables");
    ExecutionInput input = ExecutionInput.newExecutionInput().query(body.getString("query"))
      .operationName(body.getString("operationName"))
      .variables(variables == null ? Map.of() : variables.getMap()).dataLoaderRegistry(loaders).build();
    return Future.fromCompletionStage(graphql.executeAsync(input), req.context().vertx().getOrCreateContext())
      .map(result -> Reply.ok(new JsonObject(result.toSpecification())));
  }

  private RuntimeWiring wiring() {
    return RuntimeWiring.newRuntimeWiring()
      .type("Query", t -> t
        .dataFetcher("programs", env -> call(discovery, DiscoveryApi.PROGRAMS_LIST, args(env, "page", "size",
          "category", "language")))
        .dataFetcher("program", env -> env.<String, Map<String, Object>>getDataLoader(PROGRAMS).load(env.getArgument("id")))
        .dataFetcher("episode", env -> env.<String, Map<String, Object>>getDataLoader(EPISODES).load(env.getArgument("id")))
        .dataFetcher("search", env -> call(search, SearchApi.QUERY, args(env, "q", "type", "category", "language",
          "page", "size")).thenApply(DiscoveryGraphql::searchResult))
        .dataFetcher("suggest", env -> call(search, SearchApi.SUGGEST, args(env, "q"))
          .thenApply(r -> items(r).stream().map(i -> String.valueOf(i.get("title"))).toList()))
        .dataFetcher("trending", ranked(DiscoveryApi.TRENDING))
        .dataFetcher("popular", ranked(DiscoveryApi.POPULAR))
        .dataFetcher("categories", env -> call(discovery, DiscoveryApi.CATEGORIES, new JsonObject())
          .thenApply(r -> items(r).stream().map(i -> Map.of("category", i.get("category"),
            "count", i.getOrDefault("programs", 0))).toList())))
      .type("Program", t -> t
        .dataFetcher("tags", env -> tags(env.getSource()))
        .dataFetcher("episodeCount", env -> ((Map<?, ?>) env.getSource()).get("episodeCount") == null ? 0
          : ((Map<?, ?>) env.getSource()).get("episodeCount"))
        .dataFetcher("episodes", env -> call(discovery, DiscoveryApi.PROGRAM_EPISODES,
          args(env, "page", "size").put("id", ((Map<?, ?>) env.getSource()).get("id")))))
      .type("Episode", t -> t
        .dataFetcher("program", env -> env.<String, Map<String, Object>>getDataLoader(PROGRAMS)
          .load(String.valueOf(((Map<?, ?>) env.getSource()).get("programId")))))
      .build();
  }

  private DataFetcher<CompletionStage<List<Map<String, Object>>>> ranked(String address) {
    return env -> call(discovery, address, args(env, "limit")).thenApply(r -> items(r).stream()
      .filter(i -> "PROGRAM".equals(i.get("type")) && i.get("item") instanceof Map)
      .map(i -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) i.get("item");
        return item;
      }).toList());
  }

  /** One batch request for every id a query needed; answers in the order of the ids (null where not found). */
  private DataLoader<String, Map<String, Object>> loader(String address) {
    BatchLoader<String, Map<String, Object>> batch = ids -> call(discovery, address,
      new JsonObject().put("ids", new JsonArray(new ArrayList<>(ids)))).thenApply(r -> {
        Map<Object, Map<String, Object>> byId = new HashMap<>();
        items(r).forEach(i -> byId.put(i.get("id"), i));
        List<Map<String, Object>> ordered = new ArrayList<>(ids.size());
        ids.forEach(id -> ordered.add(byId.get(id)));
        return ordered;
      });
    return DataLoaderFactory.newDataLoader(batch);
  }

  private static CompletionStage<Map<String, Object>> call(Downstream d, String address, JsonObject request) {
    return d.<JsonObject>request(address, request, Caller.anonymous(), true)
      .map(DiscoveryGraphql::plain).toCompletionStage();
  }

  private static JsonObject args(DataFetchingEnvironment env, String... names) {
    JsonObject o = new JsonObject();
    for (String n : names) {
      Object v = env.getArgument(n);
      if (v != null) {
        o.put(n, v instanceof Enum<?> e ? e.name() : v);
      }
    }
    return o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plain(JsonObject json) {
    return json.mapTo(Map.class);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> reply) {
    Object items = reply.get("items");
    return items instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  private static List<?> tags(Object source) {
    Object tags = ((Map<?, ?>) source).get("tags");
    return tags instanceof List<?> l ? l : List.of();
  }

  /** Search facets arrive as {type: {PROGRAM: n}}; the schema lists them as [{value, count}]. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> searchResult(Map<String, Object> r) {
    Map<String, Object> facets = r.get("facets") instanceof Map<?, ?> f ? (Map<String, Object>) f : Map.of();
    Map<String, Object> shaped = new HashMap<>();
    for (String facet : List.of("type", "category", "language")) {
      Map<String, Object> counts = facets.get(facet) instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
      shaped.put(facet, counts.entrySet().stream().map(e -> Map.of("value", e.getKey(), "count", e.getValue()))
        .toList());
    }
    Map<String, Object> result = new HashMap<>(r);
    result.put("facets", shaped);
    return result;
  }
}
