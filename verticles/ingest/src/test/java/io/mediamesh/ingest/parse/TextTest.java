package io.mediamesh.ingest.parse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextTest {

  @Test
  void durationsAsFeedsWriteThem() {
    assertThat(Text.durationSeconds("3725")).hasValue(3725);
    assertThat(Text.durationSeconds("62:05")).hasValue(3725);
    assertThat(Text.durationSeconds("1:02:05")).hasValue(3725);
    assertThat(Text.durationSeconds(" 01:02:05.500 ")).hasValue(3725);
    assertThat(Text.durationSeconds("an hour")).isEmpty();
    assertThat(Text.durationSeconds("")).isEmpty();
    assertThat(Text.durationSeconds(null)).isEmpty();
  }

  @Test
  void htmlBecomesPlainTextWithoutControlCharacters() {
    assertThat(Text.fromHtml("<p>One &amp; two</p><p>three<br>four</p><script>alert(1)</script>"))
      .isEqualTo("One & two\n\nthree\nfour");
    assertThat(Text.clean("a\u0000b\r\nc\u0007")).isEqualTo("ab\nc");
    assertThat(Text.line("  a\n  b\tc ")).isEqualTo("a b c");
    assertThat(Text.fromHtml("   ")).isNull();
  }

  @Test
  void truncationKeepsSurrogatePairsWhole() {
    assertThat(Text.truncate("abcdef", 4)).isEqualTo("abc…");
    assertThat(Text.truncate("ab\uD83D\uDE00cd", 4)).isEqualTo("ab…");
    assertThat(Text.truncate("abc", 4)).isEqualTo("abc");
  }
}
