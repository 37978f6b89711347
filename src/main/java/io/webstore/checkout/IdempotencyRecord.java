package io.webstore.checkout;

import java.time.Instant;
import java.util.Optional;

/**
 * The idempotency item of one checkout (table {@code idempotency}, key {@code <customer id>#<Idempotency-Key>}).
 *
 * @param requestHash SHA-256 of the canonical request body
 * @param step how far the checkout got
 * @param plan what it buys (empty for a request rejected before planning completed)
 * @param leaseOwner who may advance it now (a request, or a recovery that took it over)
 * @param leaseUntilMs when an unfinished record is free for recovery to take over
 * @param attempts how many times recovery took it over
 * @param response the stored answer, present once finished
 */
record IdempotencyRecord(CheckoutIds ids, String customerId, String requestHash, CheckoutStep step,
    Optional<CheckoutPlan> plan, String leaseOwner, long leaseUntilMs, int attempts, Optional<StoredResponse> response,
    Instant createdAt) {

  /** A checkout that was planned and is about to run under {@code owner}'s lease. */
  public static IdempotencyRecord started(CheckoutIds ids, CheckoutRequest request, CheckoutPlan plan, String owner,
      long leaseUntilMs, Instant now) {
    return new IdempotencyRecord(ids, request.customerId(), request.requestHash(), CheckoutStep.PLANNED,
        Optional.of(plan), owner, leaseUntilMs, 0, Optional.empty(), now);
  }

  /** A checkout refused before any side effect (empty cart, changed prices): finished at once. */
  public static IdempotencyRecord rejected(CheckoutIds ids, CheckoutRequest request, StoredResponse response,
      String owner, Instant now) {
    return new IdempotencyRecord(ids, request.customerId(), request.requestHash(), CheckoutStep.FAILED,
        Optional.empty(), owner, now.toEpochMilli(), 0, Optional.of(response), now);
  }

  public boolean finished() {
    return response.isPresent();
  }

  public IdempotencyRecord ownedBy(String owner, long untilMs) {
    return new IdempotencyRecord(ids, customerId, requestHash, step, plan, owner, untilMs, attempts + 1, response,
        createdAt);
  }
}
