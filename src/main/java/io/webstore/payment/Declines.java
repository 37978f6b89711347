package io.webstore.payment;

import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.PaymentDeclined;

/** Decline codes of the providers, and what a shopper is told for each: something they can act on. */
final class Declines {

  static final String INSUFFICIENT_FUNDS = "insufficient_funds";
  static final String CARD_DECLINED = "card_declined";

  private Declines() {}

  /** The 402 for {@code code}; its {@code decline_code} member lets a client show its own text. */
  static PaymentDeclined declined(String code) {
    String detail = switch (code) {
      case INSUFFICIENT_FUNDS -> "the card has insufficient funds; use another card or payment method; "
          + "nothing was charged";
      default -> "the card was declined by its issuer; use another card or contact your bank; nothing was charged";
    };
    return new PaymentDeclined(detail, new JsonObject().put("decline_code",
        INSUFFICIENT_FUNDS.equals(code) ? INSUFFICIENT_FUNDS : CARD_DECLINED));
  }
}
