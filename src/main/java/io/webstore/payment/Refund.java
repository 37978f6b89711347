package io.webstore.payment;

import io.webstore.platform.money.Amount;

/**
 * The answer to a refund request: the payment record after it, and the refund its key names.
 *
 * @param number which refund of the payment this is (1 for the first); the provider's operation key is {@code
 *     <payment key>:refund:<number>}
 * @param amount what this refund returns
 * @param replayed the key named a refund made before: nothing new was refunded
 */
record Refund(Payment payment, int number, Amount amount, boolean replayed) {}
