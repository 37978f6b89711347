package io.webstore.platform.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AmountTest {

  @Test
  void amountsAreExactDecimalStringsWithTwoDecimals() {
    assertThat(Amount.price("19.9", "USD").text()).isEqualTo("19.90");
    assertThat(Amount.price("1234567", "USD").text()).isEqualTo("1234567.00");
    assertThat(Amount.price("0.10", "EUR").text()).isEqualTo("0.10");
    assertThat(Amount.price("9999999.99", "USD").compareTo(Amount.price("9999999.98", "USD"))).isPositive();
  }

  @Test
  void malformedAmountsAndCurrenciesAreRefused() {
    for (String amount : new String[] {"19.999", "-1", "1e3", "12345678", ".5", "", "19,99"}) {
      assertThatThrownBy(() -> Amount.price(amount, "USD")).as(amount).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Amount.price("1.00", "usd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Amount.price("1.00", "USD").compareTo(Amount.price("1.00", "EUR")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
