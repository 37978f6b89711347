package io.webstore.platform.text;

import io.webstore.platform.error.Validation;

/**
 * The one check for text a customer sends (emails, names, address fields): no control characters (C0, DEL, C1) and no
 * bidirectional embeddings, overrides or isolates (U+202A–U+202E, U+2066–U+2069). Such characters are never part of
 * a real name or address; they are how a NUL slips into a key, a line break into a log or a label, or a reversed
 * string onto a parcel. Every feature calls this, so the rule is the same everywhere.
 */
public final class PlainText {

  private PlainText() {}

  /** Whether {@code value} holds none of the refused characters ({@code null} counts as clean). */
  public static boolean isClean(String value) {
    return firstRefused(value) < 0;
  }

  /** Index of the first refused character, or -1. */
  public static int firstRefused(String value) {
    if (value == null) {
      return -1;
    }
    for (int i = 0; i < value.length(); i++) {
      if (refused(value.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns {@code value} when clean; otherwise a {@link Validation} naming the field's JSON pointer and the
   * character's code point and position (never the value: it may be personal data).
   *
   * @param pointer JSON pointer of the field in the request ({@code /shipping_address/name})
   */
  public static String require(String pointer, String value) {
    int at = firstRefused(value);
    if (at >= 0) {
      throw Validation.of(pointer, problem(pointer, value, at));
    }
    return value;
  }

  /** The detail of a refused value, for callers that collect several errors. */
  public static String problem(String pointer, String value, int at) {
    String field = pointer.substring(pointer.lastIndexOf('/') + 1);
    return field + " must not contain control characters or bidirectional overrides (U+"
        + String.format("%04X", (int) value.charAt(at)) + " at position " + at + ")";
  }

  private static boolean refused(char c) {
    return Character.getType(c) == Character.CONTROL // C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F)
        || (c >= '\u202A' && c <= '\u202E') // LRE, RLE, PDF, LRO, RLO
        || (c >= '\u2066' && c <= '\u2069'); // LRI, RLI, FSI, PDI
  }
}
