package io.webstore.platform.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one money type: an exact amount of one currency as the catalog, carts, orders and payments carry it, a {@link
 * BigDecimal} at scale 2, written as a decimal string ({@code "19.99"}), never a float. Its JSON form is {@link
 * AmountJson}'s.
 *
 * @param value non-negative, scale 2
 * @param currency ISO 4217 code, three capital letters
 */
public record Amount(BigDecimal value, String currency) implements Comparable<Amount> {

  /** A price as clients write it: up to 7 digits, optionally 1 or 2 decimals. */
  private static final Pattern PRICE = Pattern.compile("^\\d{1,7}(\\.\\d{1,2})?$");
  private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");

  public Amount {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(currency, "currency");
    if (value.signum() < 0 || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("not a valid amount: " + value + " " + currency);
    }
    value = value.setScale(2, RoundingMode.UNNECESSARY); // prices come with at most 2 decimals
  }

  /** Parses {@code "19.9"} (kept as 19.90); throws IllegalArgumentException when malformed. */
  public static Amount of(String value, String currency) {
    try {
      return new Amount(new BigDecimal(value), currency);
    } catch (NumberFormatException | ArithmeticException | NullPointerException e) {
      throw new IllegalArgumentException("not a valid amount: " + value + " " + currency);
    }
  }

  /**
   * Parses a price as a client writes it ({@link #validPrice}); stricter than {@link #of}, which also takes what the
   * system itself wrote. Throws IllegalArgumentException when malformed.
   */
  public static Amount price(String value, String currency) {
    if (!validPrice(value)) {
      throw new IllegalArgumentException("amount must be a decimal string with up to 7 digits and 2 decimals");
    }
    return new Amount(new BigDecimal(value), currency);
  }

  /** True when {@code text} is a price {@link #price} accepts, such as {@code "19.99"}. */
  public static boolean validPrice(String text) {
    return text != null && PRICE.matcher(text).matches();
  }

  public static Amount zero(String currency) {
    return new Amount(BigDecimal.ZERO, currency);
  }

  public Amount times(int quantity) {
    return new Amount(value.multiply(BigDecimal.valueOf(quantity)), currency);
  }

  public Amount plus(Amount other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
    }
    return new Amount(value.add(other.value), currency);
  }

  /** The amount as a plain decimal string with two decimals. */
  public String text() {
    return value.toPlainString();
  }

  /** Orders amounts of the same currency; comparing different currencies is a programming error. */
  @Override
  public int compareTo(Amount other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot compare " + currency + " with " + other.currency);
    }
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return text() + " " + currency;
  }
}
