package io.mediamesh.common.validation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * Page, size and sort of a list request: {@code page} from 0, {@code size} 1..100 (default 20), {@code sort} as
 * {@code field} or {@code field,asc|desc} over a whitelist of fields mapped to columns. The ORDER BY always ends
 * with the id, so pages are stable.
 */
public record Paging(int page, int size, String orderBy) {

  public static final int MAX_SIZE = io.mediamesh.common.api.Limits.SIZE_MAX;

  /**
   * @param sortable API field name to SQL column, e.g. {@code "createdAt" -> "created_at"}
   * @param defaultSort for example {@code "createdAt,desc"}
   */
  public static Paging from(Fields fields, Map<String, String> sortable, String defaultSort) {
    int page = fields.integer("page", 0, 0, io.mediamesh.common.api.Limits.PAGE_MAX);
    int size = fields.integer("size", 20, 1, MAX_SIZE);
    String sort = fields.string("sort", false);
    String orderBy = orderBy(sort == null || sort.isBlank() ? defaultSort : sort, sortable);
    if (orderBy == null) {
      fields.problem("sort", "must be one of " + String.join(", ", sortable.keySet()) + ", optionally with ,asc or ,desc");
      orderBy = orderBy(defaultSort, sortable);
    }
    return new Paging(page, size, orderBy);
  }

  /**
   * The storage order of a typed {@link io.mediamesh.common.api.PageRequest}: {@code sortable} maps each API sort
   * field the operation allows to its column(s).
   */
  public static Paging of(io.mediamesh.common.api.PageRequest request, Map<String, String> sortable) {
    String orderBy = request.sortField() == null ? "id asc"
      : orderBy(request.sortField() + (request.descending() ? ",desc" : ",asc"), sortable);
    if (orderBy == null) {
      throw new IllegalArgumentException("no column for sort field " + request.sortField());
    }
    return new Paging(request.page(), request.size(), orderBy);
  }

  private static String orderBy(String sort, Map<String, String> sortable) {
    String[] parts = sort.split(",", -1);
    if (parts.length > 2) {
      return null;
    }
    String column = sortable.get(parts[0].trim());
    String direction = parts.length == 2 ? parts[1].trim().toLowerCase(java.util.Locale.ROOT) : "asc";
    if (column == null || !(direction.equals("asc") || direction.equals("desc"))) {
      return null;
    }
    String nulls = direction.equals("desc") ? " NULLS LAST" : " NULLS FIRST";
    StringBuilder order = new StringBuilder();
    for (String c : column.split(",")) {
      order.append(c.trim()).append(' ').append(direction).append(nulls).append(", ");
    }
    return order.append("id ").append(direction).toString();
  }

  public long offset() {
    return (long) page * size;
  }

  public JsonObject answer(List<JsonObject> items, long total) {
    return new JsonObject().put("items", new JsonArray(items)).put("page", page).put("size", size).put("total", total);
  }
}
