package io.mediamesh.search.bench;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;

/**
 * A benchmark vocabulary: real words first (the most frequent), then generated words up to the wanted size, drawn by
 * the Zipf–Mandelbrot law of word frequencies in text, p(rank r) ∝ 1/(r + 2.7). The most common word is in about
 * 4 % of the words of a text, the 1,000th in about 0.01 %, so some queries match a third of the corpus and most
 * match a few hundred documents, as in a real catalogue (and unlike a small vocabulary, where every query matches
 * thousands).
 */
final class Vocabulary {

  private static final double Q = 2.7;
  private static final String[] EN_ONSETS = ("b c d f g h j k l m n p r s t v w z br ch cl cr dr fl gr pl pr sh st th "
    + "tr").split(" ");
  private static final String[] EN_VOWELS = "a e i o u ai ea ee oo ou".split(" ");
  private static final String[] EN_CODAS = " n r s t l m nd st".split(" ", -1);
  private static final char[] AR_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي".toCharArray();

  private final String[] words;
  private final double[] cumulative;

  private Vocabulary(String[] words) {
    this.words = words;
    this.cumulative = new double[words.length];
    double sum = 0;
    for (int r = 0; r < words.length; r++) {
      sum += 1.0 / (r + 1 + Q);
      cumulative[r] = sum;
    }
    for (int r = 0; r < words.length; r++) {
      cumulative[r] /= sum;
    }
  }

  static Vocabulary english(String[] real, int size) {
    Random random = new Random(11);
    return of(real, size, () -> {
      StringBuilder w = new StringBuilder();
      int syllables = 2 + random.nextInt(3);
      for (int i = 0; i < syllables; i++) {
        w.append(EN_ONSETS[random.nextInt(EN_ONSETS.length)]).append(EN_VOWELS[random.nextInt(EN_VOWELS.length)]);
      }
      return w.append(EN_CODAS[random.nextInt(EN_CODAS.length)]).toString();
    });
  }

  static Vocabulary arabic(String[] real, int size) {
    Random random = new Random(13);
    return of(real, size, () -> {
      StringBuilder w = new StringBuilder(random.nextInt(3) == 0 ? "ال" : "");
      int letters = 3 + random.nextInt(4);
      for (int i = 0; i < letters; i++) {
        w.append(AR_LETTERS[random.nextInt(AR_LETTERS.length)]);
      }
      return w.toString();
    });
  }

  private static Vocabulary of(String[] real, int size, java.util.function.Supplier<String> generated) {
    Set<String> all = new LinkedHashSet<>(Arrays.asList(real));
    while (all.size() < size) {
      all.add(generated.get());
    }
    return new Vocabulary(all.toArray(new String[0]));
  }

  int size() {
    return words.length;
  }

  /** The word of a rank (0 is the most frequent). */
  String rank(int r) {
    return words[r];
  }

  /** A word drawn by frequency. */
  String draw(Random random) {
    int i = Arrays.binarySearch(cumulative, random.nextDouble());
    return words[Math.min(words.length - 1, i < 0 ? -i - 1 : i)];
  }
}
