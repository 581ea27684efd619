package io.mediamesh.discoverygateway;

import graphql.ErrorType;
import graphql.GraphqlErrorBuilder;
import graphql.ParseAndValidate;
import graphql.execution.DataFetcherResult;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.Document;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.gateway.RatePolicies;

import graphql.ExecutionInput;
import graphql.GraphQL;
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
 * costlier than {@code maxComplexity} ({@link GraphqlBudget}: list sizes multiply) are refused with a 400 before any
 * data is fetched, and a query is charged to the rate classes of what it fetches, by its cost. Programs and
 * episodes named by other objects (Episode.program, ranked lists) are loaded through per-request DataLoaders that
 * batch them into one {@code programs.batch} / {@code episodes.batch} request, so a list does not cost N+1 calls.
 */
final class DiscoveryGraphql implements OperationHandler {

  private static final String PROGRAMS = "programs";
  private static final String EPISODES = "episodes";
  private static final String PROGRAM_EPISODES = "programEpisodes";
  /** Where a request's parsed and validated document waits for execution (its GraphQL context). */
  private static final String PREPARSED = "mediamesh.preparsed";

  private final GraphQL graphql;
  private final GraphQLSchema schema;
  private final GraphqlBudget budget;
  private final RatePolicies rates;
  private final int pointsPerRead;
  private final Downstream discovery;
  private final Downstream search;

  DiscoveryGraphql(Downstream discovery, Downstream search, RatePolicies rates, int maxDepth, int maxComplexity,
                   int pointsPerRead) {
    this.discovery = discovery;
    this.search = search;
    this.rates = rates;
    this.pointsPerRead = Math.max(1, pointsPerRead);
    this.schema = new SchemaGenerator().makeExecutableSchema(
      new SchemaParser().parse(Contracts.load("graphql/discovery.graphqls").toString()), wiring());
    this.budget = new GraphqlBudget(schema, maxDepth, maxComplexity);
    // execution takes the document handle() already parsed and validated, instead of doing both again
    this.graphql = GraphQL.newGraphQL(schema).preparsedDocumentProvider((input, parseAndValidate) ->
      java.util.concurrent.CompletableFuture.completedFuture(
        input.getGraphQLContext().get(PREPARSED) instanceof PreparsedDocumentEntry entry ? entry
          : parseAndValidate.apply(input))).build();
  }

  /**
   * Parses and validates the query, measures it ({@link GraphqlBudget}) and refuses it over budget before anything
   * is fetched; charges its searches to the {@code search} class and its cost (one read per {@code pointsPerRead}
   * points, the first paid by the operation's own {@code reads} decision) to {@code reads}; then runs it.
   */
  @Override
  public Future<Reply> handle(GatewayRequest req) {
    JsonObject body = req.body();
    JsonObject variables = body.getJsonObject("variables");
    Map<String, Object> vars = variables == null ? Map.of() : variables.getMap();
    // (execution gets the same variables, defaults filled in, as the budget measured)
    String operationName = body.getString("operationName");
    Document document;
    try {
      document = Parser.parse(body.getString("query"));
    } catch (InvalidSyntaxException e) {
      String why = "query: " + e.getMessage();
      return Future.failedFuture(new ServiceException(ErrorCode.VALIDATION, why,
        new JsonObject().put("fields", new JsonObject().put("query", why))));
    }
    Future<Void> admitted = Future.succeededFuture();
    List<graphql.validation.ValidationError> invalid = ParseAndValidate.validate(schema, document);
    if (invalid.isEmpty()) {
      vars = GraphqlBudget.withDefaults(document, operationName, vars);
      GraphqlBudget.Cost cost;
      try {
        cost = budget.measure(document, operationName, vars);
      } catch (RuntimeException e) {
        // an operation name or variables the document does not fit: refused, never run unmeasured
        String why = "query: cannot be measured (" + e.getMessage() + ")";
        return Future.failedFuture(new ServiceException(ErrorCode.VALIDATION, why,
          new JsonObject().put("fields", new JsonObject().put("query", why))));
      }
      try {
        budget.check(cost);
      } catch (ServiceException e) {
        return Future.failedFuture(e);
      }
      int extraReads = (cost.points() + pointsPerRead - 1) / pointsPerRead - 1;
      GraphqlBudget.Cost measured = cost;
      admitted = rates.charge(req, RatePolicies.SEARCH, measured.searches())
        .compose(v -> rates.charge(req, RatePolicies.READS, extraReads));
    } // an invalid document is answered with its validation errors, and nothing is fetched
    DataLoaderRegistry loaders = new DataLoaderRegistry();
    loaders.register(PROGRAMS, loader(DiscoveryApi.PROGRAMS_BATCH));
    loaders.register(EPISODES, loader(DiscoveryApi.EPISODES_BATCH));
    loaders.register(PROGRAM_EPISODES, programEpisodesLoader());
    PreparsedDocumentEntry parsed = invalid.isEmpty() ? new PreparsedDocumentEntry(document)
      : new PreparsedDocumentEntry(invalid);
    ExecutionInput input = ExecutionInput.newExecutionInput().query(body.getString("query"))
      .graphQLContext(Map.of(PREPARSED, parsed))
      .operationName(operationName).variables(vars).dataLoaderRegistry(loaders).build();
    return admitted.compose(v -> Future.fromCompletionStage(graphql.executeAsync(input),
        req.context().vertx().getOrCreateContext()))
      .map(result -> Reply.ok(new JsonObject(result.toSpecification())));
  }

  private RuntimeWiring wiring() {
    return RuntimeWiring.newRuntimeWiring()
      .type("Query", t -> t
        .dataFetcher("programs", env -> call(discovery, DiscoveryApi.PROGRAMS_LIST, args(env, "page", "size",
          "category", "language")))
        .dataFetcher("program", byId(PROGRAMS))
        .dataFetcher("episode", byId(EPISODES))
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
        .dataFetcher("episodes", env -> env.<EpisodesKey, Map<String, Object>>getDataLoader(PROGRAM_EPISODES)
          .load(new EpisodesKey(String.valueOf(((Map<?, ?>) env.getSource()).get("id")),
            orDefault(env.<Integer>getArgument("page"), 0), orDefault(env.<Integer>getArgument("size"), 20)))))
      .type("Episode", t -> t
        .dataFetcher("program", env -> env.<String, Map<String, Object>>getDataLoader(PROGRAMS)
          .load(String.valueOf(((Map<?, ?>) env.getSource()).get("programId")))))
      .build();
  }

  /**
   * A detail by its {@code id} argument through the batching loader; an id that is not a UUID is an error naming the
   * argument (the batch request's own message would name its internal {@code ids}).
   */
  private static DataFetcher<Object> byId(String loader) {
    return env -> {
      String id = env.getArgument("id");
      try {
        java.util.UUID.fromString(id);
      } catch (IllegalArgumentException notUuid) {
        return DataFetcherResult.newResult().error(GraphqlErrorBuilder.newError(env)
          .message("id: must be a UUID, got '%s'", id.length() > 40 ? id.substring(0, 40) + "..." : id)
          .errorType(ErrorType.ValidationError).build()).build();
      }
      return env.<String, Map<String, Object>>getDataLoader(loader).load(id);
    };
  }

  private DataFetcher<CompletionStage<List<Map<String, Object>>>> ranked(Operation<?> address) {
    return env -> call(discovery, address, args(env, "limit")).thenApply(r -> items(r).stream()
      .filter(i -> "PROGRAM".equals(i.get("type")) && i.get("item") instanceof Map)
      .map(i -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) i.get("item");
        return item;
      }).toList());
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value; // an explicit null: the schema's default
  }

  /** A program's page of episodes, as {@code Program.episodes} asks for it. */
  private record EpisodesKey(String programId, int page, int size) {
  }

  /**
   * {@code Program.episodes} of every program at one level of the query in one request
   * ({@code programs.episodes.batch}, one query in the service), grouped by page and size: not one call per program.
   */
  private DataLoader<EpisodesKey, Map<String, Object>> programEpisodesLoader() {
    BatchLoader<EpisodesKey, Map<String, Object>> batch = keys -> {
      Map<List<Integer>, List<EpisodesKey>> groups = new java.util.LinkedHashMap<>();
      keys.forEach(k -> groups.computeIfAbsent(List.of(k.page(), k.size()), g -> new ArrayList<>()).add(k));
      Map<EpisodesKey, Map<String, Object>> pages = new java.util.concurrent.ConcurrentHashMap<>();
      List<java.util.concurrent.CompletableFuture<?>> calls = new ArrayList<>();
      groups.forEach((paging, group) -> {
        for (int from = 0; from < group.size(); from += 100) {
          List<EpisodesKey> slice = group.subList(from, Math.min(group.size(), from + 100));
          JsonObject request = new JsonObject().put("page", paging.get(0)).put("size", paging.get(1))
            .put("ids", new JsonArray(slice.stream().map(EpisodesKey::programId).distinct().toList()));
          calls.add(call(discovery, DiscoveryApi.PROGRAM_EPISODES_BATCH, request).thenAccept(r -> items(r)
            .forEach(i -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> page = (Map<String, Object>) i.get("page");
              pages.put(new EpisodesKey(String.valueOf(i.get("programId")), paging.get(0), paging.get(1)), page);
            })).toCompletableFuture());
        }
      });
      return java.util.concurrent.CompletableFuture.allOf(calls.toArray(new java.util.concurrent.CompletableFuture[0]))
        .thenApply(done -> keys.stream().map(k -> pages.getOrDefault(k, Map.of("items", List.of(), "page", k.page(),
          "size", k.size(), "total", 0))).toList());
    };
    return DataLoaderFactory.newDataLoader(batch);
  }

  /** One batch request for every id a query needed; answers in the order of the ids (null where not found). */
  private DataLoader<String, Map<String, Object>> loader(Operation<?> address) {
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

  private static CompletionStage<Map<String, Object>> call(Downstream d, Operation<?> address, JsonObject request) {
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
