package io.webstore.catalog;

import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.Objects;

/**
 * A flash sale: one SKU at {@code price} from {@code startsAt} (inclusive) to {@code endsAt} (exclusive), server time,
 * at most {@code perCustomerLimit} units per customer (enforced by the cart and checkout).
 */
record Sale(String id, String sku, Amount price, Instant startsAt, Instant endsAt, int perCustomerLimit,
    String revision) {

  public Sale {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(endsAt, "endsAt");
    Objects.requireNonNull(revision, "revision");
  }

  /** Whether the sale runs at {@code now}. */
  public boolean activeAt(Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  /** Whether the sale may still start or run after {@code now}. */
  public boolean endsAfter(Instant now) {
    return endsAt.isAfter(now);
  }

  /**
   * Whether the sale lowers {@code listPrice}: same currency and cheaper. A sale that no longer undercuts a list
   * price changed after it was set does not apply.
   */
  public boolean undercuts(Amount listPrice) {
    return price.currency().equals(listPrice.currency()) && price.value().compareTo(listPrice.value()) < 0;
  }
}
