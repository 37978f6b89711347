package io.webstore.customer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a new password must be: 12 to 128 characters (code points), at least one letter and one digit, and not
 * containing the local part of the account's email (ignoring case; only for local parts of at least
 * {@value #MIN_LOCAL_PART} characters, as shorter ones would forbid half the alphabet).
 */
final class PasswordPolicy {

  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 128;
  static final int MIN_LOCAL_PART = 3;

  /** One broken rule: a stable {@code rule} name for clients and a sentence for people. */
  public record Violation(String rule, String detail) {}

  private PasswordPolicy() {}

  /** Every rule the password breaks; empty when it is acceptable. */
  public static List<Violation> violations(String password, EmailAddress email) {
    List<Violation> found = new ArrayList<>();
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) {
      found.add(new Violation("min_length", "password must have at least " + MIN_LENGTH + " characters"));
    }
    if (length > MAX_LENGTH) {
      found.add(new Violation("max_length", "password must have at most " + MAX_LENGTH + " characters"));
    }
    if (password.codePoints().noneMatch(Character::isLetter)) {
      found.add(new Violation("letter_required", "password must contain at least one letter"));
    }
    if (password.codePoints().noneMatch(Character::isDigit)) {
      found.add(new Violation("digit_required", "password must contain at least one digit"));
    }
    String localPart = email.localPart();
    if (localPart.length() >= MIN_LOCAL_PART
        && password.toLowerCase(Locale.ROOT).contains(localPart.toLowerCase(Locale.ROOT))) {
      found.add(new Violation("contains_email", "password must not contain the email's name part"));
    }
    return found;
  }
}
