package io.webstore.orders;

import io.vertx.core.Future;
import java.util.List;

/**
 * How many units of each flash sale a customer has bought, across their orders: one counter per (sale, customer),
 * changed by conditional updates that remember which checkout took and gave back units, so each is applied at most
 * once whatever the retries, and a give-back that arrives before its take fences the take out.
 */
interface SaleLimits {

  /**
   * Takes the units of {@code claims} for checkout {@code claimId}. Fails {@code Conflict} (with {@code sale_id} and
   * {@code limit}) when a sale's limit would be passed; claims taken before the failing one stay taken until {@link
   * #release}.
   */
  Future<Void> claim(String customerId, String claimId, List<SaleClaim> claims);

  /** Gives the units of checkout {@code claimId} back (those it took; idempotent). */
  Future<Void> release(String customerId, String claimId, List<SaleClaim> claims);
}
