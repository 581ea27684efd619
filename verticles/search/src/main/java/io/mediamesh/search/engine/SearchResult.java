package io.mediamesh.search.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One page of a search's ranked hits, how many matched in all, and the facets (see {@code SearchApi.QUERY}); the
 * service maps it to the reply.
 */
public record SearchResult(List<Hit> items, int page, int size, long total, Facets facets) {

  public SearchResult {
    items = List.copyOf(items);
  }

  /**
   * A hit: the document's fields, the highlighted fragment ({@code <em>} around matches, the rest HTML-escaped),
   * the thumbnail's storage key (the reply shows its public URL) and the score rounded to six decimals.
   */
  public record Hit(UUID id, String type, String title, String description, String highlight, String category,
                    String language, UUID programId, String thumbnailKey, Instant publishedAt, double score) {
  }

  /**
   * Counts per value of each facet, over the query and the other filters (not the facet's own); each in a stable
   * order, the most frequent first and ties by value, whichever engine counted.
   */
  public record Facets(Map<String, Integer> type, Map<String, Integer> category, Map<String, Integer> language,
                       Map<String, Integer> kind, Map<String, Integer> genre) {

    public Facets {
      type = ordered(type);
      category = ordered(category);
      language = ordered(language);
      kind = ordered(kind);
      genre = ordered(genre);
    }

    /** Without the catalog facets (kind, genre). */
    public Facets(Map<String, Integer> type, Map<String, Integer> category, Map<String, Integer> language) {
      this(type, category, language, Map.of(), Map.of());
    }

    private static Map<String, Integer> ordered(Map<String, Integer> counts) {
      Map<String, Integer> out = new LinkedHashMap<>();
      counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
      return java.util.Collections.unmodifiableMap(out);
    }
  }
}
