package io.mediamesh.common.validation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The storage side of a list request: the page and size a {@link io.mediamesh.common.api.PageRequest} read, and its
 * sort field mapped to columns as an ORDER BY that always ends with the id, so pages are stable.
 */
public record Paging(int page, int size, String orderBy) {

  /**
   * The storage order of a typed {@link io.mediamesh.common.api.PageRequest} (which read and checked the sort):
   * {@code sortable} maps each API sort field the operation allows to its column(s).
   */
  public static Paging of(io.mediamesh.common.api.PageRequest request, Map<String, String> sortable) {
    if (request.sortField() == null) {
      return new Paging(request.page(), request.size(), "id asc");
    }
    String columns = sortable.get(request.sortField());
    if (columns == null) {
      throw new IllegalArgumentException("no column for sort field " + request.sortField());
    }
    String direction = request.descending() ? "desc" : "asc";
    String nulls = request.descending() ? " NULLS LAST" : " NULLS FIRST";
    StringBuilder order = new StringBuilder();
    for (String c : columns.split(",")) {
      order.append(c.trim()).append(' ').append(direction).append(nulls).append(", ");
    }
    return new Paging(request.page(), request.size(), order.append("id ").append(direction).toString());
  }

  public long offset() {
    return (long) page * size;
  }

  public JsonObject answer(List<JsonObject> items, long total) {
    return new JsonObject().put("items", new JsonArray(items)).put("page", page).put("size", size).put("total", total);
  }
}
