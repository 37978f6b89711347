package io.webstore.cart;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Validation;

/** The cart's problem documents that carry more than a pointer: the JSON lives here, not in the domain classes. */
final class CartProblems {

  private CartProblems() {}

  /**
   * A 422 whose error names the limit that was passed ({@code limit}) and, when a sale's per-customer limit is the
   * binding one, the sale ({@code sale_id}).
   */
  static Validation limitPassed(String pointer, String detail, int limit, String saleId) {
    JsonObject error = new JsonObject().put("pointer", pointer).put("detail", detail).put("limit", limit);
    if (saleId != null) {
      error.put("sale_id", saleId);
    }
    return new Validation(detail, new JsonArray().add(error));
  }
}
