package io.webstore.platform.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An exact amount of one currency as carts, orders and payments carry it: a {@link BigDecimal} at scale 2, written as a
 * decimal string ({@code "19.99"}), never a float.
 *
 * @param value non-negative, scale 2
 * @param currency ISO 4217 code, three capital letters
 */
public record Amount(BigDecimal value, String currency) {

  public Amount {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(currency, "currency");
    if (value.signum() < 0 || !currency.matches("^[A-Z]{3}$")) {
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

  @Override
  public String toString() {
    return text() + " " + currency;
  }
}
