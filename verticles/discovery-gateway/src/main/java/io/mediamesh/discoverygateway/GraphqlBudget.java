package io.mediamesh.discoverygateway;

import graphql.analysis.QueryComplexityCalculator;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.execution.CoercedVariables;
import graphql.language.Document;
import graphql.schema.GraphQLSchema;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * What a GraphQL query may cost, measured on its parsed document before anything is fetched:
 * <ul>
 *   <li><b>cost</b>: one point per field, and a field with a {@code size} or {@code limit} argument (given or by
 *   default) multiplies its whole subtree by it, since that is how many times the subtree is resolved. Every alias
 *   is a field of its own. So {@code programs(size: 100) { items { episodes(size: 100) { total } } }} costs about
 *   20,000 points, not 4;</li>
 *   <li><b>depth</b> of data fields;</li>
 *   <li><b>searches</b>: {@code search} and {@code suggest} fields, each a query of the search service, charged to
 *   the {@code search} rate class one by one;</li>
 *   <li><b>introspection</b> ({@code __schema}, {@code __type} and what they select) costs nothing and has no depth
 *   limit, so tools such as GraphiQL and code generators can read the live schema; it has a budget of its own:
 *   at most {@link #MAX_INTROSPECTION_ROOTS} such roots a request.</li>
 * </ul>
 */
final class GraphqlBudget {

  static final int MAX_INTROSPECTION_ROOTS = 2;
  /**
   * The most one field counts: sums of many fields stay far from int overflow (a 20,000-character query has at most
   * a few thousand fields), and any field at the cap is over every allowed budget anyway.
   */
  static final int FIELD_CAP = 100_000;
  private static final Set<String> SEARCHES = Set.of("search", "suggest");
  private static final Set<String> MULTIPLIERS = Set.of("size", "limit");

  record Cost(int points, int depth, int searches, int introspectionRoots, String badArgument) {
  }

  private final GraphQLSchema schema;
  private final int maxDepth;
  private final int maxCost;

  GraphqlBudget(GraphQLSchema schema, int maxDepth, int maxCost) {
    if (maxCost >= FIELD_CAP || maxCost < 1 || maxDepth < 1) {
      throw new IllegalArgumentException("graphql.maxComplexity must be 1.." + (FIELD_CAP - 1)
        + " and graphql.maxDepth at least 1");
    }
    this.schema = schema;
    this.maxDepth = maxDepth;
    this.maxCost = maxCost;
  }

  int maxCost() {
    return maxCost;
  }

  /** Measures a valid document (validate it first: the traversal assumes the fields exist). */
  Cost measure(Document document, String operationName, Map<String, Object> variables) {
    CoercedVariables coerced = CoercedVariables.of(variables);
    int[] searches = {0};
    String[] bad = {null};
    int points = QueryComplexityCalculator.newCalculator().schema(schema).document(document)
      .operationName(operationName).variables(coerced)
      .fieldComplexityCalculator((env, childCost) -> {
        if (introspection(env.getField().getName()) || env.getParentType().getName().startsWith("__")) {
          return 0;
        }
        if (SEARCHES.contains(env.getField().getName())) {
          searches[0]++;
        }
        if (bad[0] == null) {
          bad[0] = outOfBounds(env.getField().getName(), env.getArguments());
        }
        return saturated((long) (1 + childCost) * multiplier(env.getArguments()));
      }).build().calculate();
    int[] depth = {0};
    int[] introspectionRoots = {0};
    QueryTraverser.newQueryTraverser().schema(schema).document(document).operationName(operationName)
      .coercedVariables(coerced).build().visitPreOrder(new QueryVisitorStub() {
        @Override
        public void visitField(QueryVisitorFieldEnvironment env) {
          int level = 1;
          boolean insideIntrospection = introspection(env.getField().getName());
          for (QueryVisitorFieldEnvironment p = env.getParentEnvironment(); p != null; p = p.getParentEnvironment()) {
            level++;
            insideIntrospection |= introspection(p.getField().getName());
          }
          if (level == 1 && (env.getField().getName().equals("__schema") || env.getField().getName().equals("__type"))) {
            introspectionRoots[0]++;
          }
          if (!insideIntrospection) {
            depth[0] = Math.max(depth[0], level);
          }
        }
      });
    return new Cost(points, depth[0], searches[0], introspectionRoots[0], bad[0]);
  }

  /** Refuses a query over budget with a 400 naming what it costs and the limit; nothing has been fetched. */
  void check(Cost cost) {
    if (cost.badArgument() != null) {
      throw new ServiceException(ErrorCode.VALIDATION, cost.badArgument(),
        new JsonObject().put("fields", new JsonObject().put("query", cost.badArgument())));
    }
    if (cost.depth() > maxDepth) {
      throw refusal("query depth " + cost.depth() + " exceeds the limit " + maxDepth, "depth", cost.depth(), maxDepth);
    }
    if (cost.points() > maxCost) {
      throw refusal("query cost " + cost.points() + " exceeds the limit " + maxCost
        + " (a field's size or limit multiplies the cost of what it selects)", "cost", cost.points(), maxCost);
    }
    if (cost.introspectionRoots() > MAX_INTROSPECTION_ROOTS) {
      throw refusal("at most " + MAX_INTROSPECTION_ROOTS + " introspection fields (__schema, __type) per query",
        "introspection", cost.introspectionRoots(), MAX_INTROSPECTION_ROOTS);
    }
  }

  private static ServiceException refusal(String message, String measure, int value, int limit) {
    return new ServiceException(ErrorCode.VALIDATION, message, new JsonObject()
      .put("fields", new JsonObject().put("query", message)).put(measure, value).put("limit", limit));
  }

  /** The REST contract's bounds, for the same arguments here (one source: {@code Limits}); null when within. */
  static String outOfBounds(String field, Map<String, Object> arguments) {
    int pageMax = field.equals("search") ? io.mediamesh.common.api.Limits.SEARCH_PAGE_MAX
      : io.mediamesh.common.api.Limits.PAGE_MAX;
    int limitMax = field.equals("suggest") ? io.mediamesh.common.api.Limits.SUGGEST_LIMIT_MAX
      : io.mediamesh.common.api.Limits.RANKED_LIMIT_MAX;
    if (arguments.get("page") instanceof Number n && (n.longValue() < 0 || n.longValue() > pageMax)) {
      return field + "(page): must be 0 to " + pageMax;
    }
    if (arguments.get("size") instanceof Number n && (n.longValue() < 1
      || n.longValue() > io.mediamesh.common.api.Limits.SIZE_MAX)) {
      return field + "(size): must be 1 to " + io.mediamesh.common.api.Limits.SIZE_MAX;
    }
    if (arguments.get("limit") instanceof Number n && (n.longValue() < 1 || n.longValue() > limitMax)) {
      return field + "(limit): must be 1 to " + limitMax;
    }
    return null;
  }

  private static boolean introspection(String field) {
    return field.startsWith("__");
  }

  private static int multiplier(Map<String, Object> arguments) {
    long m = 1;
    for (String name : MULTIPLIERS) {
      if (arguments.get(name) instanceof Number n) {
        m = Math.max(m, n.longValue());
      } else if (arguments.containsKey(name)) {
        // an explicit null: the service applies its own default; counted at the most it could be
        m = Math.max(m, name.equals("size") ? io.mediamesh.common.api.Limits.SIZE_MAX
          : io.mediamesh.common.api.Limits.RANKED_LIMIT_MAX);
      }
    }
    return (int) Math.min(m, 1_000_000);
  }

  /**
   * The variables as execution will see them: those the operation declares with a default and the request leaves
   * out get their default (measuring without them would count a list's size at the schema's default instead).
   */
  static Map<String, Object> withDefaults(Document document, String operationName, Map<String, Object> variables) {
    Map<String, Object> out = new java.util.HashMap<>(variables);
    for (graphql.language.OperationDefinition op : document.getDefinitionsOfType(
      graphql.language.OperationDefinition.class)) {
      if (operationName != null && !operationName.equals(op.getName())) {
        continue;
      }
      for (graphql.language.VariableDefinition v : op.getVariableDefinitions()) {
        if (!out.containsKey(v.getName()) && v.getDefaultValue() != null) {
          out.put(v.getName(), literal(v.getDefaultValue()));
        }
      }
    }
    return out;
  }

  private static Object literal(graphql.language.Value<?> value) {
    if (value instanceof graphql.language.IntValue i) {
      return i.getValue().intValue();
    }
    if (value instanceof graphql.language.FloatValue f) {
      return f.getValue().doubleValue();
    }
    if (value instanceof graphql.language.StringValue str) {
      return str.getValue();
    }
    if (value instanceof graphql.language.BooleanValue b) {
      return b.isValue();
    }
    if (value instanceof graphql.language.EnumValue e) {
      return e.getName();
    }
    return null; // lists and objects: no argument of this schema takes one
  }

  private static int saturated(long v) {
    return (int) Math.min(v, FIELD_CAP);
  }
}
