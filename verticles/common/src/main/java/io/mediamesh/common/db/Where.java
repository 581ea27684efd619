package io.mediamesh.common.db;

import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code WHERE} of a list query whose filters are each optional: {@code eq} adds {@code column = $n} only for a
 * value that is there, numbering its parameters after the query's own ({@code firstParam}: LIMIT and OFFSET come
 * first, for instance). Column names are the repository's constants, never a client's text.
 */
public final class Where {

  private final int firstParam;
  private final List<String> conditions = new ArrayList<>();
  private final List<Object> args = new ArrayList<>();

  private Where(int firstParam) {
    this.firstParam = firstParam;
  }

  /** Conditions whose first parameter is {@code $firstParam}. */
  public static Where from(int firstParam) {
    return new Where(firstParam);
  }

  /** {@code column = value}, when {@code value} is not null. */
  public Where eq(String column, Object value) {
    if (value != null) {
      args.add(value);
      conditions.add(column + " = $" + (firstParam + args.size() - 1));
    }
    return this;
  }

  /** {@code " WHERE a = $3 AND b = $4"}, or nothing. */
  public String sql() {
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  /** The query's own parameters ({@code $1} up to before {@code firstParam}), then the conditions' values. */
  public Tuple tuple(Object... leading) {
    if (leading.length != firstParam - 1) {
      throw new IllegalArgumentException("expected " + (firstParam - 1) + " leading parameters");
    }
    List<Object> all = new ArrayList<>(List.of(leading));
    all.addAll(args);
    return Tuple.tuple(all);
  }
}
