package io.mediamesh.ingest.parse;

import org.jsoup.Jsoup;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Feed text made fit for the CMS: markup to plain text, no control characters, bounded length. */
public final class Text {

  private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\r]+");
  private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");
  private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,3}):)?(\\d{1,5}):(\\d{1,2})(?:\\.\\d+)?");
  private static final Pattern SECONDS = Pattern.compile("(\\d{1,9})(?:\\.\\d+)?");

  private Text() {
  }

  /** Plain text of an HTML fragment (feed descriptions usually are HTML), paragraphs kept as line breaks. */
  public static String fromHtml(String html) {
    if (html == null || html.isBlank()) {
      return null;
    }
    if (html.indexOf('<') < 0 && html.indexOf('&') < 0) {
      return clean(html);
    }
    var doc = Jsoup.parseBodyFragment(html);
    doc.select("br").after("\\n");
    doc.select("p, div, li, h1, h2, h3, h4, h5, h6").before("\\n\\n");
    String text = doc.body().text().replace("\\n", "\n");
    return clean(text);
  }

  /** Without control characters (line breaks and tabs kept), spaces collapsed, trimmed; null when empty. */
  public static String clean(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(value.length());
    value.codePoints().forEach(c -> {
      if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
        out.appendCodePoint(c);
      }
    });
    String text = SPACES.matcher(out.toString()).replaceAll(" ");
    text = BLANK_LINES.matcher(text.replaceAll(" *\\n *", "\n")).replaceAll("\n\n").strip();
    return text.isEmpty() ? null : text;
  }

  /** One line (titles): line breaks become spaces. */
  public static String line(String value) {
    String text = clean(value == null ? null : value.replace('\n', ' ').replace('\t', ' '));
    return text == null ? null : SPACES.matcher(text).replaceAll(" ");
  }

  /**
   * A title as plain text on one line. Titles arrive as text, escaped HTML or XHTML (RSS says nothing, Atom says
   * {@code type}, and publishers mix them up), so every title is read as HTML: markup is dropped (with what a
   * {@code <script>} holds), entities decoded; what was plain text stays as it was.
   */
  public static String title(String value) {
    return line(fromHtml(value));
  }

  /** At most {@code max} characters, ending with an ellipsis when cut (never inside a surrogate pair). */
  public static String truncate(String value, int max) {
    if (value == null || value.length() <= max) {
      return value;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(0, end).stripTrailing() + "…";
  }

  /** A duration as feeds write it: seconds ("3725"), "MM:SS" or "HH:MM:SS". */
  public static OptionalInt durationSeconds(String value) {
    if (value == null) {
      return OptionalInt.empty();
    }
    String v = value.strip();
    var seconds = SECONDS.matcher(v);
    if (seconds.matches()) {
      long s = Long.parseLong(seconds.group(1));
      return s <= Integer.MAX_VALUE ? OptionalInt.of((int) s) : OptionalInt.empty();
    }
    var m = DURATION.matcher(v);
    if (!m.matches()) {
      return OptionalInt.empty();
    }
    long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    long total = hours * 3600 + Long.parseLong(m.group(2)) * 60 + Long.parseLong(m.group(3));
    return total <= Integer.MAX_VALUE ? OptionalInt.of((int) total) : OptionalInt.empty();
  }

  /** A whole number written as text, or empty. */
  public static Integer integer(String value) {
    if (value == null || !value.strip().matches("\\d{1,9}")) {
      return null;
    }
    return Integer.parseInt(value.strip());
  }
}
