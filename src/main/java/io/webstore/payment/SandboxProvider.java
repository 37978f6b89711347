package io.webstore.payment;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.webstore.platform.money.Amount;
import java.util.UUID;

/**
 * A provider stand-in for dev and tests; the token decides:
 * <ul>
 *   <li>{@value #APPROVE}: approved;
 *   <li>{@value #DECLINE_INSUFFICIENT_FUNDS}: declined, {@code insufficient_funds};
 *   <li>{@value #DECLINE_CARD}, {@value #DECLINE} and any other token: declined, {@code card_declined};
 *   <li>{@value #TIMEOUT}: never answers (the caller's timeout ends it);
 *   <li>{@value #TRANSIENT_ERROR}: fails (retryable) on the first two attempts of a key, then approves;
 *   <li>{@value #REVIEW}: approved, with the card flagged as risky.
 * </ul>
 * Charges are kept per key in the Vert.x instance's local map {@value #CHARGES} (key → reference), so a repeated key
 * is answered with its first charge, as a real provider does; {@value #CALLS} counts the authorization requests per
 * key (what tests read to see retries, and that a repeat was answered without asking again). Operation keys of
 * captures, voids and refunds are kept in {@value #OPERATIONS}.
 */
final class SandboxProvider implements PaymentProvider {

  static final String APPROVE = "tok_approve";
  static final String DECLINE = "tok_decline";
  static final String DECLINE_INSUFFICIENT_FUNDS = "tok_decline_insufficient_funds";
  static final String DECLINE_CARD = "tok_decline_card";
  static final String TIMEOUT = "tok_timeout";
  static final String TRANSIENT_ERROR = "tok_transient_error";
  static final String REVIEW = "tok_review";

  /** The local map of the sandbox's charges: payment key → reference. */
  static final String CHARGES = "payment.sandbox.charges";
  static final String OPERATIONS = "payment.sandbox.operations";
  static final String CALLS = "payment.sandbox.authorize_calls";
  private static final int TRANSIENT_FAILURES = 2;

  private final LocalMap<String, String> charges;
  private final LocalMap<String, String> operations;
  private final LocalMap<String, Integer> attempts;

  SandboxProvider(Vertx vertx) {
    this.charges = vertx.sharedData().getLocalMap(CHARGES);
    this.operations = vertx.sharedData().getLocalMap(OPERATIONS);
    this.attempts = vertx.sharedData().getLocalMap(CALLS);
  }

  @Override
  public Future<ProviderDecision> authorize(String key, Amount amount, String token) {
    int attempt = attempts.merge(key, 1, Integer::sum);
    String charged = charges.get(key);
    if (charged != null) {
      return Future.succeededFuture(ProviderDecision.approved(charged, REVIEW.equals(token)));
    }
    return switch (token) {
      case APPROVE, REVIEW -> Future.succeededFuture(ProviderDecision.approved(charge(key), REVIEW.equals(token)));
      case DECLINE_INSUFFICIENT_FUNDS -> Future.succeededFuture(ProviderDecision.declined(Declines.INSUFFICIENT_FUNDS));
      case TIMEOUT -> Promise.<ProviderDecision>promise().future(); // never answers
      case TRANSIENT_ERROR -> attempt <= TRANSIENT_FAILURES
          ? Future.failedFuture(new ProviderFailure("transient_error", true))
          : Future.succeededFuture(ProviderDecision.approved(charge(key), false));
      default -> Future.succeededFuture(ProviderDecision.declined(Declines.CARD_DECLINED));
    };
  }

  private String charge(String key) {
    String reference = "sbx_" + UUID.randomUUID();
    String first = charges.putIfAbsent(key, reference);
    return first == null ? reference : first;
  }

  @Override
  public Future<Void> capture(String operationKey, String reference, Amount amount) {
    operations.putIfAbsent(operationKey, reference + " " + amount);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> voidAuthorization(String operationKey, String key) {
    operations.putIfAbsent(operationKey, key);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> refund(String operationKey, String reference, Amount amount) {
    operations.putIfAbsent(operationKey, reference + " " + amount);
    return Future.succeededFuture();
  }
}
