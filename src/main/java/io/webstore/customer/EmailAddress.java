package io.webstore.customer;

import io.webstore.platform.error.Validation;
import io.webstore.platform.text.PlainText;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An email address in its normalized form (trimmed, lower case): the form that is stored, compared and unique. Case
 * folding the local part is stricter than RFC 5321 allows, but no real provider distinguishes case and it stops
 * {@code Ann@x.com} and {@code ann@x.com} from becoming two accounts.
 */
public record EmailAddress(String value) {

  /** Deliberately loose: one {@code @}, no spaces, a dot in the domain. Deliverability is proven by mail, not regex. */
  private static final Pattern SHAPE = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s.]+");
  private static final int MAX_LENGTH = 254;

  /**
   * Normalizes without judging the shape (login looks up whatever it is given), but refuses control characters and
   * bidirectional overrides ({@link PlainText}) before trimming, which would silently drop a trailing NUL.
   */
  public static EmailAddress normalized(String raw) {
    PlainText.require("/email", raw);
    return new EmailAddress(raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT));
  }

  /** Normalizes and checks the shape; a {@link Validation} on {@code /email} otherwise. */
  public static EmailAddress parse(String raw) {
    EmailAddress email = normalized(raw);
    if (email.value.length() > MAX_LENGTH || !SHAPE.matcher(email.value).matches()) {
      throw Validation.of("/email", "email must look like name@example.com (at most " + MAX_LENGTH + " characters)");
    }
    return email;
  }

  /** The part before the {@code @}. */
  public String localPart() {
    int at = value.lastIndexOf('@');
    return at < 0 ? value : value.substring(0, at);
  }

  @Override
  public String toString() {
    return value;
  }
}
