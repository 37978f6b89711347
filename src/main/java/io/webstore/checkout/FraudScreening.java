package io.webstore.checkout;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.webstore.fraud.FraudRequest;
import io.webstore.fraud.FraudVerdict.Decision;
import io.webstore.platform.error.PaymentRefused;
import io.webstore.platform.metrics.MeterCache;
import io.webstore.platform.money.Amount;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkout's fraud step, in two parts around the authorization.
 *
 * <p>Before the charge, the fraud tier scores the payment ({@code fraud.score}, event {@code payment}: the account,
 * the client's address, the payment token, which the fraud tier reduces to a keyed fingerprint at once, the device id,
 * the amount, the shipping and billing countries). {@link CheckoutFlow} asks once the stock is held and before it
 * authorizes: a block then costs no charge and no call to the provider, only the hold it releases at once; and the
 * buyers a flash sale turns away (short stock) cost no score at all, which is most of them. A fraud tier that does not answer within {@code
 * checkout.fraudTimeoutMs} (down, slow, not deployed) is taken as {@code checkout.onFraudUnavailable}: never a hung
 * checkout.
 *
 * <p>After the charge, the provider's own risk flag (sandbox {@code tok_review}) is known: it is only given with an
 * approval. It turns an allow into a review, never into a block: the provider approved, and a person looking at the
 * order can still cancel it, which voids the authorization. The flag comes with the authorization's answer (also
 * when a retry finds the key authorized already: it is kept on the payment record), so reading it costs nothing.
 *
 * <p>Meter {@code webstore.checkout.screened} (decision, by: {@code fraud}, {@code unavailable}, {@code provider}).
 */
final class FraudScreening {

  private static final Logger log = LoggerFactory.getLogger(FraudScreening.class);
  private static final long LOG_EVERY_MS = 10_000;

  private final SagaPorts.Risk risk;
  private final Decision whenUnavailable;
  private final MeterRegistry meters;
  private final AtomicLong lastWarning = new AtomicLong();

  FraudScreening(SagaPorts.Risk risk, Decision whenUnavailable, MeterRegistry meters) {
    this.risk = risk;
    this.whenUnavailable = whenUnavailable;
    this.meters = meters;
  }

  /** The answer of a blocked payment: what the shopper can do, not why (the model's reasons stay in the logs). */
  static PaymentRefused refused() {
    return new PaymentRefused("this payment could not be accepted; nothing was charged and the items were released; "
        + "pay with another payment method or contact customer service");
  }

  /** The decision on the payment of {@code request} before it is charged; never fails. */
  Future<Decision> beforeCharge(CheckoutRequest request, String orderId, Amount total) {
    FraudRequest payment = FraudRequest.payment(request.customerId(), request.clientIp(), request.paymentToken(),
            total.value(), total.currency())
        .withDevice(request.deviceId().orElse(null))
        .withCountries(request.address().country(), request.billingCountry().orElse(null));
    return risk.score(payment)
        .map(verdict -> {
          count(verdict.decision(), "fraud");
          if (verdict.decision() != Decision.ALLOW) {
            log.info("checkout.screened checkout={} decision={} score={} scorer={} reasons={}", orderId,
                verdict.decision().wireName(), verdict.score(), verdict.scorer(), verdict.reasons());
          }
          return verdict.decision();
        })
        .recover(err -> {
          long now = System.currentTimeMillis();
          long last = lastWarning.get();
          if (now - last > LOG_EVERY_MS && lastWarning.compareAndSet(last, now)) { // one line per outage
            log.warn("checkout.fraud_unavailable decision={} error={}", whenUnavailable.wireName(), err.toString());
          }
          count(whenUnavailable, "unavailable");
          return Future.succeededFuture(whenUnavailable);
        });
  }

  /**
   * Whether the authorized payment's order is held for review: {@code before} said so, or the provider flagged the
   * card when it approved ({@code flaggedByProvider}, from the authorization's answer).
   */
  boolean holdForReview(Decision before, String orderId, boolean flaggedByProvider) {
    if (before == Decision.REVIEW) {
      return true;
    }
    if (flaggedByProvider) {
      count(Decision.REVIEW, "provider");
      log.info("checkout.screened checkout={} decision=review by=provider", orderId);
    }
    return flaggedByProvider;
  }

  private void count(Decision decision, String by) {
    MeterCache.of(meters).describedCounter("webstore.checkout.screened",
        "Checkout payments by the fraud screening's decision and what decided it",
        "decision", decision.wireName(), "by", by).increment();
  }
}
