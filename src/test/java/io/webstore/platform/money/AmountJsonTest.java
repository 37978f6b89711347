package io.webstore.platform.money;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AmountJsonTest {

  @Test
  void theWireFormIsTheAmountAsADecimalStringThenTheCurrency() {
    assertThat(AmountJson.toJson(Amount.of("19.9", "USD")).encode())
        .isEqualTo("{\"amount\":\"19.90\",\"currency\":\"USD\"}");
    assertThat(AmountJson.toJson(Amount.zero("EUR")).encode()).isEqualTo("{\"amount\":\"0.00\",\"currency\":\"EUR\"}");
  }

  @Test
  void readingTakesAStringOrANumberAndGivesBackWhatWasWritten() {
    Amount amount = Amount.of("1234567.05", "USD");
    assertThat(AmountJson.fromJson(AmountJson.toJson(amount))).isEqualTo(amount);
    assertThat(AmountJson.fromJson(new JsonObject().put("amount", 19.5).put("currency", "USD")))
        .isEqualTo(Amount.of("19.50", "USD"));
  }
}
