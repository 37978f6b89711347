package io.webstore.orders;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Conflict;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link SaleLimits} in memory, with the rules of {@link DynamoSaleLimits}: one counter per (sale, customer) with the
 * checkouts it counts and the checkouts given back; claims apply in order and stop at the first that fails.
 */
final class InMemorySaleLimits implements SaleLimits {

  private static final class Counter {
    int units;
    final Set<String> claims = new HashSet<>();
    final Set<String> released = new HashSet<>();
  }

  private final Map<String, Counter> counters = new HashMap<>();

  @Override
  public synchronized Future<Void> claim(String customerId, String claimId, List<SaleClaim> claims) {
    for (SaleClaim claim : claims) {
      if (claim.quantity() > claim.limit()) {
        return Future.failedFuture(exceeded(claim));
      }
      Counter counter = counters.computeIfAbsent(claim.saleId() + "#" + customerId, key -> new Counter());
      if (counter.claims.contains(claimId)) {
        continue; // taken already by this checkout
      }
      if (counter.released.contains(claimId)) {
        return Future.failedFuture(new Conflict("checkout " + claimId + " was rolled back"));
      }
      if (counter.units > claim.limit() - claim.quantity()) {
        return Future.failedFuture(exceeded(claim));
      }
      counter.units += claim.quantity();
      counter.claims.add(claimId);
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> release(String customerId, String claimId, List<SaleClaim> claims) {
    for (SaleClaim claim : claims) {
      Counter counter = counters.computeIfAbsent(claim.saleId() + "#" + customerId, key -> new Counter());
      if (counter.claims.remove(claimId)) {
        counter.units -= claim.quantity();
      }
      counter.released.add(claimId);
    }
    return Future.succeededFuture();
  }

  private static Conflict exceeded(SaleClaim claim) {
    return new Conflict("sale " + claim.saleId() + " allows at most " + claim.limit() + " units per customer",
        new JsonObject().put("sale_id", claim.saleId()).put("limit", claim.limit()));
  }
}
