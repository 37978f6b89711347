package io.webstore.platform.text;

import java.util.regex.Pattern;

/**
 * What a SKU may look like, defined once for the catalog, the cart, the inventory and {@code openapi.yaml} (whose SKU
 * patterns a test compares with {@link #PATTERN}): 1–64 letters, digits, '.', '_' or '-', starting with a letter or
 * digit. None of the separators the inventory's Redis keys and canonical lines use ('#', ',', '*', whitespace) can
 * appear.
 */
public final class Sku {

  /** The regular expression, as written in {@code openapi.yaml}. */
  public static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

  /** Compiled {@link #PATTERN}. */
  public static final Pattern REGEX = Pattern.compile(PATTERN);

  /** The rule in words, for validation details. */
  public static final String RULE = "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

  private Sku() {}

  public static boolean valid(Object value) {
    return value instanceof String text && REGEX.matcher(text).matches();
  }
}
