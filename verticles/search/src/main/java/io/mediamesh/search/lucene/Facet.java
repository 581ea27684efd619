package io.mediamesh.search.lucene;

import org.apache.lucene.index.SortedDocValues;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts of one facet, gathered per segment by ordinal (no string per match) and named at the end. */
final class Facet {
  private final List<SortedDocValues> values = new ArrayList<>();
  private final List<int[]> counts = new ArrayList<>();

  /** The counts of a new segment, by ordinal of {@code dv}. */
  int[] segment(SortedDocValues dv) {
    int[] c = new int[dv.getValueCount()];
    values.add(dv);
    counts.add(c);
    return c;
  }

  /** The count of each value met, over every segment. */
  Map<String, Integer> counts() throws IOException {
    Map<String, Integer> total = new LinkedHashMap<>();
    for (int s = 0; s < values.size(); s++) {
      int[] c = counts.get(s);
      for (int ord = 0; ord < c.length; ord++) {
        if (c[ord] > 0) {
          total.merge(values.get(s).lookupOrd(ord).utf8ToString(), c[ord], Integer::sum);
        }
      }
    }
    return total;
  }
}
