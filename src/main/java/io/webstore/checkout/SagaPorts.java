package io.webstore.checkout;

import io.vertx.core.Future;
import io.webstore.cart.CartContents;
import io.webstore.catalog.PriceQuote;
import io.webstore.fraud.FraudRequest;
import io.webstore.fraud.FraudVerdict;
import io.webstore.orders.Order;
import io.webstore.orders.OrderLine;
import io.webstore.orders.OrdersClient.PlaceOrder;
import io.webstore.orders.SaleClaim;
import io.webstore.platform.money.Amount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the checkout saga ({@link CheckoutFlow}, {@link Settlement}) asks of the world, as interfaces the saga
 * owns: the cart, the catalog's prices, stock, payment, orders, its own idempotency records and the fraud screening. {@link ClientPorts}
 * implements them over the features' clients; tests may wrap them (to stop a checkout dead at a step, for example).
 * Failures are the domain exceptions of the feature behind each port.
 */
record SagaPorts(Carts carts, Prices prices, Stock stock, Payments payments, Orders orders,
    IdempotencyStore records, Risk risk) {

  /** The customer's cart, and the checkout's claim on it. */
  interface Carts {
    /** The customer's cart as stored (unpriced), with the claim of a checkout running on it, if any. */
    Future<CartContents> contents(String customerId);

    /** Claims the cart for the checkout of {@code recordId}, which priced it at {@code version}; idempotent. */
    Future<Void> claim(String customerId, String recordId, String orderId, long version, Map<String, Integer> units);

    /** Drops that checkout's claim, lines kept; nothing when it holds none. */
    Future<Void> release(String customerId, String recordId);

    /** Removes the units that checkout ordered, with its claim; idempotent. */
    Future<Void> removeOrdered(String customerId, String recordId, Map<String, Integer> units);
  }

  /** The catalog's quotes now. */
  interface Prices {
    /** Quotes of the SKUs the catalog sells; the others are absent. */
    Future<Map<String, PriceQuote>> prices(List<String> skus);
  }

  /** Live stock and the checkout's hold. */
  interface Stock {
    /** Units available now per SKU (absent: none). */
    Future<Map<String, Integer>> availability(List<String> skus);

    /** Holds every line or none for {@code ttl}; idempotent per hold id. Fails OutOfStock when short. */
    Future<Void> hold(String holdId, List<OrderLine> lines, Duration ttl);

    /** Commits a hold's units durably; idempotent. Conflict or NotFound for a released or expired hold. */
    Future<Void> commit(String holdId);

    /** Returns a live hold's units; a committed or unknown hold is left alone. */
    Future<Void> release(String holdId);
  }

  /** The checkout's one payment authorization. */
  interface Payments {
    /**
     * Authorizes {@code amount} once per key; succeeds with whether the provider flagged the card as risky when it
     * approved. Fails PaymentDeclined.
     */
    Future<Boolean> authorize(String paymentKey, Amount amount, String token, Map<String, String> metadata);

    /** Voids the authorization of the key, if there is one; idempotent. */
    Future<Void> voidAuthorization(String paymentKey);
  }

  /** The order, and the customer's sale allowance. */
  interface Orders {
    Future<Void> claimSaleLimits(String customerId, String claimId, List<SaleClaim> claims);

    Future<Void> releaseSaleLimits(String customerId, String claimId, List<SaleClaim> claims);

    /** Writes the order once; a repeat returns it. Conflict when its id was aborted. */
    Future<Order> place(PlaceOrder command);

    /** Burns an order id that has no order: empty when it is (now) aborted, else the order that exists. */
    Future<Optional<Order>> abort(String orderId);

    /**
     * Cancels an order whose stock could not be committed (no restock); Conflict when its hold commits after all (the
     * order has its stock).
     */
    Future<Order> abandon(String orderId);
  }

  /**
   * What the fraud screening ({@link FraudScreening}) asks: the fraud tier's verdict (the provider's risk flag comes
   * with the authorization, {@link Payments#authorize}).
   */
  interface Risk {
    /** The fraud tier's verdict on a payment (counted in its velocity windows). Fails Unavailable without an answer. */
    Future<FraudVerdict> score(FraudRequest payment);
  }
}
