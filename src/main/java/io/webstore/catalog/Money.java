package io.webstore.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An amount of one currency, exact: a {@link BigDecimal} at scale 2 from input to storage to output, where it is
 * written as a decimal string ({@code "19.99"}), never as a float.
 *
 * @param amount non-negative, scale 2
 * @param currency ISO 4217 code, three capital letters
 */
public record Money(BigDecimal amount, String currency) implements Comparable<Money> {

  private static final Pattern AMOUNT = Pattern.compile("^\\d{1,7}(\\.\\d{1,2})?$");
  private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");

  public Money {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    if (amount.signum() < 0 || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("not a valid price: " + amount + " " + currency);
    }
    amount = amount.setScale(2, RoundingMode.UNNECESSARY);
  }

  /** Parses an amount such as {@code "19.9"} (kept as 19.90); throws IllegalArgumentException when malformed. */
  public static Money of(String amount, String currency) {
    if (amount == null || !AMOUNT.matcher(amount).matches()) {
      throw new IllegalArgumentException("amount must be a decimal string with up to 7 digits and 2 decimals");
    }
    return new Money(new BigDecimal(amount), currency);
  }

  /** True when {@code text} is an amount {@link #of} accepts. */
  public static boolean validAmount(String text) {
    return text != null && AMOUNT.matcher(text).matches();
  }

  /** The amount as a plain decimal string with two decimals. */
  public String amountText() {
    return amount.toPlainString();
  }

  /** Orders amounts of the same currency; comparing different currencies is a programming error. */
  @Override
  public int compareTo(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot compare " + currency + " with " + other.currency);
    }
    return amount.compareTo(other.amount);
  }

  @Override
  public String toString() {
    return amountText() + " " + currency;
  }
}
