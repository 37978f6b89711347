package io.webstore.platform.error;

import io.vertx.core.json.JsonObject;

/** The payment provider refused the charge. */
public final class PaymentDeclined extends DomainException {
  public PaymentDeclined(String detail) {
    super(Kind.PAYMENT_DECLINED, detail, null);
  }

  /** With problem members such as the provider's {@code decline_code}. */
  public PaymentDeclined(String detail, JsonObject extensions) {
    super(Kind.PAYMENT_DECLINED, detail, extensions);
  }
}
