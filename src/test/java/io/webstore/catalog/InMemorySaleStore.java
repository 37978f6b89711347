package io.webstore.catalog;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link SaleStore} in memory, as {@link DynamoSaleStore} behaves: times kept to the millisecond, a put replaces, a
 * put-if-absent lands only on a new id, and a sale is not ended while its end is after the instant asked about.
 */
final class InMemorySaleStore implements SaleStore {

  private final Map<String, Sale> sales = new TreeMap<>();

  @Override
  public synchronized Future<Void> put(Sale sale) {
    sales.put(sale.id(), kept(sale));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> putIfAbsent(Sale sale) {
    return Future.succeededFuture(sales.putIfAbsent(sale.id(), kept(sale)) == null);
  }

  @Override
  public synchronized Future<Optional<Sale>> find(String id) {
    return Future.succeededFuture(Optional.ofNullable(sales.get(id)));
  }

  @Override
  public synchronized Future<List<Sale>> notEndedAt(Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.MILLIS);
    return Future.succeededFuture(sales.values().stream().filter(sale -> sale.endsAt().isAfter(at)).toList());
  }

  private static Sale kept(Sale sale) {
    return new Sale(sale.id(), sale.sku(), sale.price(), sale.startsAt().truncatedTo(ChronoUnit.MILLIS),
        sale.endsAt().truncatedTo(ChronoUnit.MILLIS), sale.perCustomerLimit(), sale.revision());
  }
}
