package io.webstore.platform.error;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Not enough units of one or more SKUs; {@code skus} names them. */
public final class OutOfStock extends DomainException {
  public OutOfStock(String detail, JsonArray skus) {
    super(Kind.OUT_OF_STOCK, detail, new JsonObject().put("skus", skus));
  }

  public JsonArray skus() {
    return extensions().getJsonArray("skus");
  }
}
