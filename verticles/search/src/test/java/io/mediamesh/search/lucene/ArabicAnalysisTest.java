package io.mediamesh.search.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arabic matching measured on a test set of our own, against Lucene's {@code ArabicAnalyzer} (what Elasticsearch's
 * {@code arabic} analyzer does): each pair is a word as a title has it and as a viewer types it; a pair is found when
 * both analyse to the same term. The forms that must always meet: with and without the article, taa marbuta written
 * as haa, and ب، ل، و attached.
 */
class ArabicAnalysisTest {

  /** {title word, query word}: the same word, so a search must find it. */
  static final List<String[]> SAME = List.of(
    p("الجامعة", "جامعة"), p("جامعة", "الجامعة"), p("الجامعة", "جامعه"), p("جامعة", "الجامعه"),
    p("الجامعه", "جامعة"), p("بالجامعة", "جامعة"), p("للجامعة", "جامعه"), p("والجامعة", "الجامعة"),
    p("والجامعة", "جامعة"), p("بجامعة", "جامعة"), p("وجامعة", "الجامعه"), p("المدرسة", "مدرسه"),
    p("بالمدرسه", "المدرسة"), p("مكتبة", "المكتبه"), p("السيارة", "سياره"), p("بالسيارة", "سيارة"),
    p("الرحلة", "رحله"), p("برحلة", "الرحلة"), p("والكتاب", "كتاب"), p("بالكتاب", "الكتاب"),
    p("للكتاب", "كتاب"), p("كتابه", "كتاب"), p("المعلمين", "معلمون"), p("القاهرة", "القاهره"),
    p("والقاهرة", "قاهرة"), p("الحكومة", "حكومه"), p("للحكومة", "الحكومة"), p("الثقافة", "ثقافه"),
    p("بالثقافة", "الثقافه"), p("المدينة", "مدينه"), p("والمدينة", "المدينة"), p("مدينة", "بالمدينة"),
    p("إذاعة", "اذاعه"), p("الإذاعة", "إذاعة"), p("الأخبار", "اخبار"), p("مُسَلْسَل", "مسلسل"));

  /** Different words: a search for one must not find the other. */
  static final List<String[]> DIFFERENT = List.of(
    p("والد", "الد"), p("والدين", "الدين"), p("والدة", "الدة"), p("كتاب", "مكتب"), p("مدرسة", "درس"),
    p("وجه", "جه"));

  private static String[] p(String title, String query) {
    return new String[] {title, query};
  }

  private static List<String> terms(Analyzer a, String word) {
    return TextAnalysis.terms(a, "f", word);
  }

  private static long found(Analyzer a, List<String[]> pairs) {
    return pairs.stream().filter(pair -> terms(a, pair[0]).equals(terms(a, pair[1]))).count();
  }

  @Test
  void everyFormOfAWordMeetsAndWeDoAtLeastAsWellAsLucenesArabicAnalyzer() {
    List<String> missed = SAME.stream().filter(pair -> !terms(TextAnalysis.ARABIC, pair[0])
      .equals(terms(TextAnalysis.ARABIC, pair[1]))).map(pair -> pair[0] + " / " + pair[1]).toList();
    assertThat(missed).as("pairs our analysis does not bring together").isEmpty();
    try (Analyzer lucene = new ArabicAnalyzer(CharArraySet.EMPTY_SET)) {
      long ours = found(TextAnalysis.ARABIC, SAME);
      long theirs = found(lucene, SAME);
      System.out.printf("Arabic test set: ours %d/%d, Lucene ArabicAnalyzer %d/%d%n", ours, SAME.size(), theirs,
        SAME.size());
      assertThat(ours).isGreaterThanOrEqualTo(theirs);
    }
  }

  @Test
  void differentWordsStayApart() {
    for (String[] pair : DIFFERENT) {
      assertThat(terms(TextAnalysis.ARABIC, pair[0])).as(pair[0] + " / " + pair[1])
        .isNotEqualTo(terms(TextAnalysis.ARABIC, pair[1]));
    }
  }

  @Test
  void theEnglishSideKeepsItsAccentFolding() {
    assertThat(terms(TextAnalysis.ENGLISH, "Café Crème")).isEqualTo(terms(TextAnalysis.ENGLISH, "cafe creme"));
    assertThat(terms(TextAnalysis.WORDS, "Ñandú")).containsExactly("nandu");
  }
}
