package io.webstore.orders;

/**
 * Units of a flash sale one order takes from its customer's allowance.
 *
 * @param limit the sale's per-customer limit at checkout (units across all of the customer's orders)
 */
public record SaleClaim(String saleId, int quantity, int limit) {

  public SaleClaim {
    if (quantity < 1 || limit < 1) {
      throw new IllegalArgumentException("a sale claim needs a positive quantity and limit");
    }
  }
}
