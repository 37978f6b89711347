package io.webstore.platform.error;

/**
 * The store will not take this payment (its fraud screening blocked it); nothing was charged. The detail tells the
 * shopper what they can do, never why the screening decided so.
 */
public final class PaymentRefused extends DomainException {
  public PaymentRefused(String detail) {
    super(Kind.PAYMENT_REFUSED, detail, null);
  }
}
