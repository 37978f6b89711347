package io.webstore.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void amountsAreExactDecimalStringsWithTwoDecimals() {
    assertThat(Money.of("19.9", "USD").amountText()).isEqualTo("19.90");
    assertThat(Money.of("1234567", "USD").amountText()).isEqualTo("1234567.00");
    assertThat(Money.of("0.10", "EUR").amountText()).isEqualTo("0.10");
    assertThat(Money.of("9999999.99", "USD").compareTo(Money.of("9999999.98", "USD"))).isPositive();
  }

  @Test
  void malformedAmountsAndCurrenciesAreRefused() {
    for (String amount : new String[] {"19.999", "-1", "1e3", "12345678", ".5", "", "19,99"}) {
      assertThatThrownBy(() -> Money.of(amount, "USD")).as(amount).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Money.of("1.00", "usd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.of("1.00", "USD").compareTo(Money.of("1.00", "EUR")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
