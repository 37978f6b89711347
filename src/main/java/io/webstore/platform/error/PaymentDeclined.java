package io.webstore.platform.error;

/** The payment provider refused the charge. */
public final class PaymentDeclined extends DomainException {
  public PaymentDeclined(String detail) {
    super(Kind.PAYMENT_DECLINED, detail, null);
  }
}
