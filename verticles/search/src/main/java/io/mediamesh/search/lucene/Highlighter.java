package io.mediamesh.search.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A hit's highlight, as PostgreSQL's {@code ts_headline} makes it in the other engine: matched words wrapped in
 * {@code <em>}, the rest HTML-escaped; the whole title when it has every term of the query, otherwise a fragment of
 * the description (of {@value #FRAGMENT_WORDS} words, from a few before the first match).
 */
final class Highlighter {

  private static final int FRAGMENT_WORDS = 30;
  private static final int FRAGMENT_LEAD = 5;

  private Highlighter() {
  }

  /** The highlight of a document in {@code language} with this title and description, for {@code query}. */
  static String highlight(String language, String title, String description, WebQuery query) throws IOException {
    Analyzer chain = TextAnalysis.arabic(language) ? TextAnalysis.ARABIC : TextAnalysis.ENGLISH;
    Set<String> terms = query.terms(language);
    StringBuilder out = new StringBuilder();
    if (!terms.isEmpty() && mark(chain, title, terms, Integer.MAX_VALUE, out) == terms.size()) {
      return out.toString(); // the title has the whole query, as PostgreSQL's highlight asks
    }
    out.setLength(0);
    mark(chain, description == null ? title : description, terms, FRAGMENT_WORDS, out);
    return out.toString();
  }

  /**
   * Appends {@code text} (at most {@code maxWords} of it, around the first match), HTML-escaped, with every word
   * whose term is one of {@code terms} in {@code <em>}; how many of the terms it has.
   */
  private static int mark(Analyzer chain, String text, Set<String> terms, int maxWords, StringBuilder out)
    throws IOException {
    List<int[]> words = new ArrayList<>(); // start, end, matched
    Set<String> found = new HashSet<>();
    int first = -1;
    try (TokenStream ts = chain.tokenStream("highlight", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      // a fragment needs no words past the first match's window
      while (ts.incrementToken() && (first < 0 || words.size() < (long) first + maxWords)) {
        String t = term.toString();
        boolean matched = terms.contains(t);
        if (matched) {
          found.add(t);
        }
        if (matched && first < 0) {
          first = words.size();
        }
        words.add(new int[] {offset.startOffset(), offset.endOffset(), matched ? 1 : 0});
      }
      ts.end();
    }
    if (words.isEmpty()) {
      escape(text, 0, text.length(), out);
      return 0;
    }
    int startWord = 0;
    int endWord = words.size();
    if (words.size() > maxWords) {
      startWord = Math.max(0, Math.min(first - FRAGMENT_LEAD, words.size() - maxWords));
      endWord = startWord + maxWords;
    }
    int at = maxWords == Integer.MAX_VALUE ? 0 : words.get(startWord)[0];
    int end = maxWords == Integer.MAX_VALUE ? text.length() : words.get(endWord - 1)[1];
    for (int i = startWord; i < endWord; i++) {
      int[] w = words.get(i);
      if (w[2] == 1) {
        escape(text, at, w[0], out);
        out.append("<em>");
        escape(text, w[0], w[1], out);
        out.append("</em>");
        at = w[1];
      }
    }
    escape(text, at, end, out);
    return found.size();
  }

  private static void escape(String text, int from, int to, StringBuilder out) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
  }
}
