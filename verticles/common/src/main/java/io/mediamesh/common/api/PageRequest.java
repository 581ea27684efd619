package io.mediamesh.common.api;

import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;

/**
 * Which page of a list a caller asks for: {@code page} from 0 (at most {@link Limits#PAGE_MAX}), {@code size}
 * 1..{@link Limits#SIZE_MAX} (default 20), and {@code sort} as {@code field} or {@code field,asc|desc} over the fields
 * the operation allows (absent: the operation's default). The service maps the sort field to its storage
 * ({@code Paging.of}); the API names only fields.
 */
public record PageRequest(int page, int size, String sortField, boolean descending) {

  /** Reads page, size and sort from {@code f}, naming a bad one; {@code defaultSort} is {@code field[,desc]}. */
  public static PageRequest from(Fields f, Set<String> sortable, String defaultSort) {
    int page = f.integer("page", 0, 0, Limits.PAGE_MAX);
    int size = f.integer("size", 20, 1, Limits.SIZE_MAX);
    String sort = f.string("sort", false);
    PageRequest parsed = parse(sort == null || sort.isBlank() ? defaultSort : sort, sortable, page, size);
    if (parsed == null) {
      f.problem("sort", "must be one of " + String.join(", ", sortable) + ", optionally with ,asc or ,desc");
      parsed = parse(defaultSort, sortable, page, size);
    }
    return parsed;
  }

  /** Reads page and size only (lists with one fixed order). */
  public static PageRequest unsorted(Fields f) {
    return new PageRequest(f.integer("page", 0, 0, Limits.PAGE_MAX), f.integer("size", 20, 1, Limits.SIZE_MAX), null,
      false);
  }

  private static PageRequest parse(String sort, Set<String> sortable, int page, int size) {
    String[] parts = sort.split(",", -1);
    if (parts.length > 2) {
      return null;
    }
    String field = parts[0].trim();
    String direction = parts.length == 2 ? parts[1].trim().toLowerCase(Locale.ROOT) : "asc";
    if (!sortable.contains(field) || !(direction.equals("asc") || direction.equals("desc"))) {
      return null;
    }
    return new PageRequest(page, size, field, direction.equals("desc"));
  }

  /** Writes page, size and sort into {@code json} (the request's other fields are the caller's). */
  public JsonObject into(JsonObject json) {
    json.put("page", page).put("size", size);
    if (sortField != null) {
      json.put("sort", sortField + (descending ? ",desc" : ",asc"));
    }
    return json;
  }
}
