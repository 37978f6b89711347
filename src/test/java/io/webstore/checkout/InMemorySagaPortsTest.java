package io.webstore.checkout;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The saga ports' contract, in memory (no engines). */
class InMemorySagaPortsTest extends SagaPortsContract {

  private final InMemorySagaPorts memory = new InMemorySagaPorts();

  @Override
  protected SagaPorts createPorts() {
    return memory.ports(new InMemoryIdempotencyStore());
  }

  @Override
  protected String product(String price, int onHand) {
    String sku = CheckoutFixtures.uniqueSku("ports");
    memory.product(sku, price, onHand);
    return sku;
  }

  @Override
  protected String sale(String sku, String price, int perCustomerLimit) {
    String saleId = "sale-" + UUID.randomUUID().toString().substring(0, 8);
    memory.sale(sku, saleId, price, perCustomerLimit, Instant.now().plus(1, ChronoUnit.HOURS));
    return saleId;
  }

  @Override
  protected void addToCart(String customerId, String sku, int quantity) {
    memory.addToCart(customerId, sku, quantity);
  }
}
