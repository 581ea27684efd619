package io.mediamesh.search.lucene;

import org.apache.lucene.util.BytesRef;

/**
 * A ranked match while collecting: score, then the newest, then the smallest id, as PostgreSQL orders them (not
 * Lucene's document number, which differs between instances and changes with every update, so pages served by
 * different instances would repeat or skip hits).
 *
 * @param published microseconds since the epoch, {@link Long#MIN_VALUE} when never published
 * @param doc the document number in the whole index (for reading its source)
 */
record Hit(float score, long published, BytesRef id, int doc) implements Comparable<Hit> {

  @Override
  public int compareTo(Hit o) { // ascending = worse first
    int c = Float.compare(score, o.score);
    if (c == 0) {
      c = Long.compare(published, o.published);
    }
    return c != 0 ? c : o.id.compareTo(id);
  }
}
