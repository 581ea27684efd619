package io.mediamesh.search.engine;

import java.util.List;
import java.util.UUID;

/** As-you-type suggestions: titles completing the query, programs first, then the newest. */
public record Suggestions(List<Suggestion> items) {

  public Suggestions {
    items = List.copyOf(items);
  }

  public record Suggestion(UUID id, String type, String title) {
  }
}
