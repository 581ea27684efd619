package io.mediamesh.auth.domain;

import io.mediamesh.common.api.Limits;
import io.mediamesh.common.validation.Fields;

import java.util.Locale;
import java.util.regex.Pattern;

/** The auth service's own field rules on top of {@link Fields}: e-mail, password policy, display name. */
public final class UserInput {

  public static final int PASSWORD_MIN = Limits.PASSWORD_MIN;
  public static final int PASSWORD_MAX = Limits.PASSWORD_MAX;
  private static final Pattern EMAIL = Pattern.compile(
    "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
      + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

  private UserInput() {
  }

  /** Trimmed and lower-cased: the form that must be unique. */
  public static String normaliseEmail(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  public static String email(Fields fields, String field) {
    String value = fields.string(field, true);
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.length() < Limits.EMAIL_MIN || trimmed.length() > Limits.EMAIL_MAX || !EMAIL.matcher(trimmed).matches()) {
      fields.problem(field, "must be an e-mail address");
      return null;
    }
    return trimmed;
  }

  /** 10 to 128 characters, not only letters or only digits, at least 4 distinct characters, not the e-mail. */
  public static String password(Fields fields, String field, String email) {
    String value = fields.string(field, true);
    if (value == null) {
      return null;
    }
    if (value.length() < PASSWORD_MIN || value.length() > PASSWORD_MAX) {
      fields.problem(field, "must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters");
    } else if (value.chars().allMatch(Character::isLetter) || value.chars().allMatch(Character::isDigit)) {
      fields.problem(field, "must mix letters with digits or symbols");
    } else if (value.chars().distinct().count() < 4) {
      fields.problem(field, "must use at least 4 different characters");
    } else if (email != null && normaliseEmail(value).equals(normaliseEmail(email))) {
      fields.problem(field, "must not be the e-mail address");
    }
    return value;
  }

  public static String displayName(Fields fields, String field, boolean required) {
    return fields.text(field, required, Limits.DISPLAY_NAME_MAX);
  }
}
