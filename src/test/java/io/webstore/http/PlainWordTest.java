package io.webstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import io.webstore.testing.Engines;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract check skips vertx-openapi's transformation of a string parameter only where that transformation would
 * give the text back unchanged: checked here against the library itself, on the contract's own parameters.
 */
class PlainWordTest {

  static Vertx vertx;
  static Parameter sku;

  @BeforeAll
  static void contract() {
    vertx = Vertx.vertx();
    sku = Engines.await(HttpVerticle.loadContract(vertx)).parsed().operation("getProduct").getParameters().get(0);
  }

  @AfterAll
  static void close() {
    Engines.await(vertx.close());
  }

  @Test
  void everyPlainWordComesOutOfTheLibrarysTransformationUnchanged() {
    List<String> words = List.of("SKU-00042", "A", "Sku.1_x~y:z", "abc-", "Z9", "eXYZ", "SKU-" + "9".repeat(60),
        "true-ish", "nullable", "NaNa", "Infinity2", "falsey");
    for (String word : words) {
      boolean plain = ContractValidation.isPlainWord(word);
      if (plain) {
        assertThat(new SimpleTransformer().transform(sku, word)).as(word).isEqualTo(word);
        assertThat(new FormTransformer().transform(sku, word)).as(word).isEqualTo(word);
      }
    }
    assertThat(ContractValidation.isPlainWord("SKU-00042")).isTrue();
    assertThat(ContractValidation.isPlainWord("Sku.1_x~y:z")).isTrue();
  }

  @Test
  void textTheLibraryMightChangeOrRefuseIsLeftToIt() {
    // JSON literals and numbers, quotes, escapes, spaces and anything not ASCII go through the library as before
    for (String text : List.of("", "true", "false", "null", "NaN", "Infinity", "tx", "n1", "12.5", "-1", "9SKU",
        "\"quoted\"", "A\\u0041", "A\"b", "A b", "Ä", "_a", ".a", "{\"a\":1}", "[1]")) {
      assertThat(ContractValidation.isPlainWord(text)).as(text).isFalse();
    }
  }
}
