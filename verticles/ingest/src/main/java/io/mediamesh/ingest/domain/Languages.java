package io.mediamesh.ingest.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Feed languages ("en-us", "EN_gb", "fr") as the metadata service accepts them: a BCP 47 tag whose language is an
 * ISO 639 code, in canonical form. Anything else is absent, so the import falls back to the source's default.
 */
public final class Languages {

  private static final Set<String> ISO_LANGUAGES = Set.of(Locale.getISOLanguages());

  private Languages() {
  }

  public static Optional<String> canonical(String value) {
    if (value == null || value.isBlank() || value.length() > 35) {
      return Optional.empty();
    }
    String tag = value.strip().replace('_', '-');
    Locale locale = Locale.forLanguageTag(tag);
    String language = locale.getLanguage();
    String canonical = locale.toLanguageTag();
    boolean iso639 = (language.length() == 2 && ISO_LANGUAGES.contains(language)) || language.length() == 3;
    if (!iso639 || canonical.equals("und") || !canonical.equalsIgnoreCase(tag)) {
      return Optional.empty();
    }
    return Optional.of(canonical);
  }
}
