package io.mediamesh.discoverygateway;

import graphql.ErrorType;
import graphql.GraphqlErrorBuilder;
import graphql.ParseAndValidate;
import graphql.execution.DataFetcherResult;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.Document;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import io.mediamesh.common.bus.Caller;
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
import io.mediamesh.common.http.Contracts;
import io.mediamesh.gateway.GatewayRequest;
import io.mediamesh.gateway.OperationHandler;
import io.mediamesh.discoverygateway.GraphqlLoaders.EpisodesKey;
import io.mediamesh.gateway.Reply;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static io.mediamesh.discoverygateway.GraphqlLoaders.call;
import static io.mediamesh.discoverygateway.GraphqlLoaders.items;

/**
 * {@code POST /graphql}: the schema of {@code graphql/discovery.graphqls}, executed with graphql-java behind the
 * gateway's checks (caller, rate limit, body limit, contract validation). Queries deeper than {@code maxDepth} or
 * costlier than {@code maxComplexity} ({@link GraphqlBudget}: list sizes multiply) are refused with a 400 before any
 * data is fetched, and a query is charged to the rate classes of what it fetches, by its cost. Programs and
 * episodes named by other objects are loaded through per-request DataLoaders ({@link GraphqlLoaders}), so a list
 * does not cost N+1 calls.
 */
final class DiscoveryGraphql implements OperationHandler {

  /** Where a request's parsed and validated document waits for execution (its GraphQL context). */
  private static final String PREPARSED = "mediamesh.preparsed";
  private static final String CALLER = "mediamesh.caller";

  private final GraphQL graphql;
  private final GraphQLSchema schema;
  private final GraphqlBudget budget;
  private final RatePolicies rates;
  private final int pointsPerRead;
  private final Downstream discovery;
  private final Downstream search;
  private final GraphqlLoaders loaders;

  DiscoveryGraphql(Downstream discovery, Downstream search, RatePolicies rates,
                   DiscoveryGatewayConfig.Graphql settings) {
    this.discovery = discovery;
    this.search = search;
    this.loaders = new GraphqlLoaders(discovery);
    this.rates = rates;
    this.pointsPerRead = Math.max(1, settings.pointsPerRead());
    this.schema = new SchemaGenerator().makeExecutableSchema(
      new SchemaParser().parse(Contracts.load("graphql/discovery.graphqls").toString()), wiring());
    this.budget = new GraphqlBudget(schema, settings.maxDepth(), settings.maxComplexity());
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
    PreparsedDocumentEntry parsed = invalid.isEmpty() ? new PreparsedDocumentEntry(document)
      : new PreparsedDocumentEntry(invalid);
    ExecutionInput input = ExecutionInput.newExecutionInput().query(body.getString("query"))
      .graphQLContext(Map.of(PREPARSED, parsed, CALLER, req.caller()))
      .operationName(operationName).variables(vars).dataLoaderRegistry(loaders.registry(req.caller())).build();
    return admitted.compose(v -> Future.fromCompletionStage(graphql.executeAsync(input),
        req.context().vertx().getOrCreateContext()))
      .map(result -> Reply.ok(new JsonObject(result.toSpecification())));
  }

  private RuntimeWiring wiring() {
    return RuntimeWiring.newRuntimeWiring()
      .type("Query", t -> t
        .dataFetcher("programs", env -> call(discovery, DiscoveryApi.PROGRAMS_LIST, caller(env), () -> DiscoveryApi.PROGRAMS_LIST
          .read(args(env, "page", "size", "category", "language"))))
        .dataFetcher("program", byId(GraphqlLoaders.PROGRAMS))
        .dataFetcher("episode", byId(GraphqlLoaders.EPISODES))
        .dataFetcher("search", env -> call(search, SearchApi.QUERY, caller(env), () -> SearchApi.QUERY.read(args(env, "q", "type",
          "category", "language", "kind", "genre", "page", "size"))).thenApply(DiscoveryGraphql::searchResult))
        .dataFetcher("suggest", env -> call(search, SearchApi.SUGGEST, caller(env), () -> SearchApi.SUGGEST.read(args(env, "q")))
          .thenApply(r -> items(r).stream().map(i -> String.valueOf(i.get("title"))).toList()))
        .dataFetcher("trending", ranked(DiscoveryApi.TRENDING))
        .dataFetcher("popular", ranked(DiscoveryApi.POPULAR))
        .dataFetcher("categories", env -> call(discovery, DiscoveryApi.CATEGORIES, caller(env), () -> Operation.None.INSTANCE)
          .thenApply(r -> items(r).stream().map(i -> Map.of("category", i.get("category"),
            "count", i.getOrDefault("programs", 0))).toList())))
      .type("Program", t -> t
        .dataFetcher("tags", env -> tags(env.getSource()))
        .dataFetcher("episodeCount", env -> ((Map<?, ?>) env.getSource()).get("episodeCount") == null ? 0
          : ((Map<?, ?>) env.getSource()).get("episodeCount"))
        .dataFetcher("episodes", env -> env.<EpisodesKey, Map<String, Object>>getDataLoader(
            GraphqlLoaders.PROGRAM_EPISODES)
          .load(new EpisodesKey(String.valueOf(((Map<?, ?>) env.getSource()).get("id")),
            orDefault(env.<Integer>getArgument("page"), 0), orDefault(env.<Integer>getArgument("size"), 20)))))
      .type("Episode", t -> t
        .dataFetcher("program", env -> env.<String, Map<String, Object>>getDataLoader(GraphqlLoaders.PROGRAMS)
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

  private DataFetcher<CompletionStage<List<Map<String, Object>>>> ranked(Operation<DiscoveryApi.Ranking> ranking) {
    return env -> call(discovery, ranking, caller(env), () -> ranking.read(args(env, "limit"))).thenApply(r -> items(r).stream()
      .filter(i -> "PROGRAM".equals(i.get("type")) && i.get("item") instanceof Map)
      .map(i -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) i.get("item");
        return item;
      }).toList());
  }

  /** The request's verified caller: every service call asks as it, so answers are what its profile may see. */
  private static Caller caller(DataFetchingEnvironment env) {
    return env.getGraphQlContext().get(CALLER);
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value; // an explicit null: the schema's default
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

  private static List<?> tags(Object source) {
    Object tags = ((Map<?, ?>) source).get("tags");
    return tags instanceof List<?> l ? l : List.of();
  }

  /** Search facets arrive as {type: {PROGRAM: n}}; the schema lists them as [{value, count}]. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> searchResult(Map<String, Object> r) {
    Map<String, Object> facets = r.get("facets") instanceof Map<?, ?> f ? (Map<String, Object>) f : Map.of();
    Map<String, Object> shaped = new HashMap<>();
    for (String facet : List.of("type", "category", "language", "kind", "genre")) {
      Map<String, Object> counts = facets.get(facet) instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
      shaped.put(facet, counts.entrySet().stream().map(e -> Map.of("value", e.getKey(), "count", e.getValue()))
        .toList());
    }
    Map<String, Object> result = new HashMap<>(r);
    result.put("facets", shaped);
    return result;
  }
}
