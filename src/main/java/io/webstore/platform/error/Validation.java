package io.webstore.platform.error;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The request is well formed but breaks a rule; {@code errors} names each field. */
public final class Validation extends DomainException {
  public Validation(String detail, JsonArray errors) {
    super(Kind.VALIDATION, detail, new JsonObject().put("errors", errors));
  }

  /** One failed field: {@code pointer} is a JSON pointer into the request body (or a parameter name). */
  public static Validation of(String pointer, String message) {
    return new Validation(message, new JsonArray().add(new JsonObject().put("pointer", pointer).put("detail", message)));
  }

  public JsonArray errors() {
    return extensions().getJsonArray("errors");
  }
}
