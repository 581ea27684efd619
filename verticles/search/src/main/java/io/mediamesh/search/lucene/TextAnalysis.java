package io.mediamesh.search.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.tartarus.snowball.ext.ArabicStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * How the in-memory engine turns text into terms, the same way for documents and queries, and the same folding as
 * {@code mm_fold} in db/search:
 * <ul>
 *   <li>words by Unicode rules (Latin and Arabic), lower-cased;</li>
 *   <li>Arabic diacritics (harakat, superscript alef) and tatweel removed, alef forms (hamza above and below, madda,
 *   wasla) to bare alef, alef maqsura to yaa; a word's final haa written as taa marbuta (the common spelling of
 *   جامعة as جامعه), and the conjunction و before the article dropped (والجامعة as الجامعة), see {@link #foldWord};</li>
 *   <li>Latin accents folded;</li>
 *   <li>then, per language, words stemmed (Snowball English or Arabic) and, in English, Snowball's stop words
 *   dropped, as PostgreSQL's configurations do; {@link #WORDS} keeps words whole, for suggestions and typo
 *   correction.</li>
 * </ul>
 */
final class TextAnalysis {

  /** Snowball's English stop words, as PostgreSQL's {@code english} configuration drops them. */
  private static final CharArraySet ENGLISH_STOP = snowballStopWords("english_stop.txt");
  static final Analyzer ENGLISH = chain(in -> new SnowballFilter(
    new StopFilter(new EnglishPossessiveFilter(in), ENGLISH_STOP), new EnglishStemmer()));
  /** No stop words, as PostgreSQL's {@code arabic} configuration has none. */
  static final Analyzer ARABIC = chain(in -> new SnowballFilter(in, new ArabicStemmer()));
  static final Analyzer WORDS = chain(UnaryOperator.identity());

  private TextAnalysis() {
  }

  /** Whether a document in this language (BCP 47) is stemmed as Arabic; everything else is English. */
  static boolean arabic(String language) {
    return language != null && language.toLowerCase(Locale.ROOT).startsWith("ar");
  }

  /** The terms {@code analyzer} makes of {@code text}, in order (repeats kept). */
  static List<String> terms(Analyzer analyzer, String field, String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // in-memory text: not reached
    }
    return out;
  }

  /** {@code mm_fold} for one character: -1 drops it. */
  static int fold(char c) {
    if ((c >= '\u064B' && c <= '\u065F') || c == '\u0670' || c == '\u0640') {
      return -1;
    }
    return switch (c) {
      case 'أ', 'إ', 'آ', 'ٱ' -> 'ا';
      case 'ى' -> 'ي';
      default -> c;
    };
  }

  /**
   * {@code mm_fold}'s word rules, after the letters are folded: a final haa becomes taa marbuta, and a word starting
   * with و + ال and at least four letters after loses the و (with three, والدين, parents, would become الدين,
   * religion). Snowball's Arabic stemmer removes a final taa marbuta
   * and the article, but not a final haa once the article is there (الجامعه stayed جامعه while جامعه became جامع), nor
   * و + ال; written this way every form of a word reaches the same stem. Returns the new length ({@code word} is
   * rewritten in place).
   */
  static int foldWord(char[] word, int length) {
    if (length > 1 && word[length - 1] == 'ه' && arabicLetter(word[length - 2])) {
      word[length - 1] = 'ة';
    }
    if (length >= 7 && word[0] == 'و' && word[1] == 'ا' && word[2] == 'ل') {
      System.arraycopy(word, 1, word, 0, length - 1);
      return length - 1;
    }
    return length;
  }

  private static boolean arabicLetter(char c) {
    return c >= '\u0621' && c <= '\u064A';
  }

  private static Analyzer chain(UnaryOperator<TokenStream> language) {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        TokenStream folded = new ASCIIFoldingFilter(new ArabicFold(new LowerCaseFilter(source)));
        return new TokenStreamComponents(source, language.apply(folded));
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new ArabicFold(new LowerCaseFilter(in)));
      }
    };
  }

  private static CharArraySet snowballStopWords(String resource) {
    try (var in = SnowballFilter.class.getResourceAsStream(resource)) {
      return CharArraySet.unmodifiableSet(WordlistLoader.getSnowballWordSet(in, StandardCharsets.UTF_8));
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("Lucene's " + resource + " is missing", e);
    }
  }

  /** The Arabic half of {@code mm_fold}, on each token. */
  private static final class ArabicFold extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

    ArabicFold(TokenStream in) {
      super(in);
    }

    @Override
    public boolean incrementToken() throws java.io.IOException {
      while (input.incrementToken()) {
        char[] buffer = term.buffer();
        int length = term.length();
        int kept = 0;
        for (int i = 0; i < length; i++) {
          int f = fold(buffer[i]);
          if (f >= 0) {
            buffer[kept++] = (char) f;
          }
        }
        if (kept > 0) { // a token of diacritics alone is no word
          term.setLength(foldWord(buffer, kept));
          return true;
        }
      }
      return false;
    }
  }
}
