package io.mediamesh.search.lucene;

import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of one facet, gathered per segment by ordinal (no string per match) and named at the end; single-valued
 * ({@link SortedDocValues}) or multi-valued ({@link SortedSetDocValues}, a genre per value).
 */
final class Facet {

  /** A segment's ordinal to its value. */
  @FunctionalInterface
  private interface Names {
    BytesRef lookup(int ord) throws IOException;
  }

  private final List<Names> names = new ArrayList<>();
  private final List<int[]> counts = new ArrayList<>();

  /** The counts of a new segment, by ordinal of {@code dv}. */
  int[] segment(SortedDocValues dv) {
    return segment(dv.getValueCount(), dv::lookupOrd);
  }

  /** The counts of a new segment, by ordinal of the multi-valued {@code dv}. */
  int[] segment(SortedSetDocValues dv) {
    return segment(Math.toIntExact(dv.getValueCount()), dv::lookupOrd);
  }

  private int[] segment(int values, Names lookup) {
    int[] c = new int[values];
    names.add(lookup);
    counts.add(c);
    return c;
  }

  /** The count of each value met, over every segment. */
  Map<String, Integer> counts() throws IOException {
    Map<String, Integer> total = new LinkedHashMap<>();
    for (int s = 0; s < names.size(); s++) {
      int[] c = counts.get(s);
      for (int ord = 0; ord < c.length; ord++) {
        if (c[ord] > 0) {
          total.merge(names.get(s).lookup(ord).utf8ToString(), c[ord], Integer::sum);
        }
      }
    }
    return total;
  }
}
