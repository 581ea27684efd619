package io.mediamesh.search;

import io.mediamesh.common.api.Limits;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.UUID;

/** A validated search request (see {@code SearchApi.QUERY}). */
public record SearchQuery(String q, String type, String category, String language, UUID programId, int page,
                          int size) {

  static final int MAX_QUERY_LENGTH = Limits.QUERY_MAX;
  private static final Set<String> TYPES = Set.of("PROGRAM", "EPISODE");

  /** A key naming every field, for caches (a free-text field cannot pass for another field, as in toString). */
  public String key() {
    return new JsonArray().add(q).add(type).add(category).add(language)
      .add(programId == null ? null : programId.toString()).add(page).add(size).encode();
  }

  public SearchQuery withQ(String other) {
    return new SearchQuery(other, type, category, language, programId, page, size);
  }

  public static SearchQuery from(JsonObject body) {
    Fields f = Fields.of(body);
    String q = f.text("q", true, MAX_QUERY_LENGTH);
    String type = f.string("type", false);
    if (type != null && !TYPES.contains(type)) {
      f.problem("type", "must be PROGRAM or EPISODE");
    }
    String category = f.text("category", false, Limits.CATEGORY_MAX);
    String language = f.text("language", false, Limits.LANGUAGE_MAX);
    UUID programId = f.uuid("programId", false);
    int page = f.integer("page", 0, 0, Limits.SEARCH_PAGE_MAX);
    int size = f.integer("size", 20, 1, Limits.SIZE_MAX);
    f.validate();
    return new SearchQuery(q.strip(), type, category, language, programId, page, size);
  }
}
