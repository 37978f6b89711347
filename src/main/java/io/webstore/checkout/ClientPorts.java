package io.webstore.checkout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.cart.CartClient;
import io.webstore.cart.CartContents;
import io.webstore.catalog.CatalogClient;
import io.webstore.catalog.PriceQuote;
import io.webstore.fraud.FraudClient;
import io.webstore.inventory.HoldLine;
import io.webstore.inventory.InventoryClient;
import io.webstore.orders.Order;
import io.webstore.orders.OrderLine;
import io.webstore.orders.OrdersClient;
import io.webstore.orders.OrdersClient.PlaceOrder;
import io.webstore.orders.SaleClaim;
import io.webstore.payment.Authorization;
import io.webstore.payment.PaymentClient;
import io.webstore.platform.money.Amount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The saga's ports over the event-bus clients of cart, catalog, inventory, payment, orders and fraud. */
final class ClientPorts {

  private ClientPorts() {}

  static SagaPorts of(Vertx vertx, CheckoutSettings settings, IdempotencyStore records) {
    Duration timeout = settings.callTimeout();
    PaymentClient payments = new PaymentClient(vertx, timeout);
    return new SagaPorts(carts(new CartClient(vertx, timeout)), prices(new CatalogClient(vertx, timeout)),
        stock(new InventoryClient(vertx)), payments(payments), orders(new OrdersClient(vertx, timeout)), records,
        risk(new FraudClient(vertx, settings.fraudTimeout())));
  }

  private static SagaPorts.Risk risk(FraudClient fraud) {
    return fraud::score;
  }

  private static SagaPorts.Carts carts(CartClient carts) {
    return new SagaPorts.Carts() {
      @Override
      public Future<CartContents> contents(String customerId) {
        return carts.contents(CartClient.customer(customerId));
      }

      @Override
      public Future<Void> claim(String customerId, String recordId, String orderId, long version,
          Map<String, Integer> units) {
        return carts.claim(CartClient.customer(customerId), recordId, orderId, version, units);
      }

      @Override
      public Future<Void> release(String customerId, String recordId) {
        return carts.release(CartClient.customer(customerId), recordId);
      }

      @Override
      public Future<Void> removeOrdered(String customerId, String recordId, Map<String, Integer> units) {
        return carts.removeOrdered(CartClient.customer(customerId), recordId, units);
      }
    };
  }

  private static SagaPorts.Prices prices(CatalogClient catalog) {
    // an empty cart needs no quote: no call
    return skus -> skus.isEmpty() ? Future.succeededFuture(Map.<String, PriceQuote>of()) : catalog.prices(skus);
  }

  private static SagaPorts.Stock stock(InventoryClient inventory) {
    return new SagaPorts.Stock() {
      @Override
      public Future<Map<String, Integer>> availability(List<String> skus) {
        return skus.isEmpty() ? Future.succeededFuture(Map.of()) : inventory.availability(skus);
      }

      @Override
      public Future<Void> hold(String holdId, List<OrderLine> lines, Duration ttl) {
        return inventory.hold(holdId, lines.stream().map(line -> new HoldLine(line.sku(), line.quantity())).toList(),
            ttl).mapEmpty();
      }

      @Override
      public Future<Void> commit(String holdId) {
        return inventory.commit(holdId);
      }

      @Override
      public Future<Void> release(String holdId) {
        return inventory.release(holdId).mapEmpty();
      }
    };
  }

  private static SagaPorts.Payments payments(PaymentClient payments) {
    return new SagaPorts.Payments() {
      @Override
      public Future<Boolean> authorize(String paymentKey, Amount amount, String token,
          Map<String, String> metadata) {
        return payments.authorize(paymentKey, amount, token, metadata).map(Authorization::review);
      }

      @Override
      public Future<Void> voidAuthorization(String paymentKey) {
        return payments.voidAuthorization(paymentKey).mapEmpty();
      }
    };
  }

  private static SagaPorts.Orders orders(OrdersClient orders) {
    return new SagaPorts.Orders() {
      @Override
      public Future<Void> claimSaleLimits(String customerId, String claimId, List<SaleClaim> claims) {
        return orders.claimSaleLimits(customerId, claimId, claims);
      }

      @Override
      public Future<Void> releaseSaleLimits(String customerId, String claimId, List<SaleClaim> claims) {
        return orders.releaseSaleLimits(customerId, claimId, claims);
      }

      @Override
      public Future<Order> place(PlaceOrder command) {
        return orders.place(command);
      }

      @Override
      public Future<Optional<Order>> abort(String orderId) {
        return orders.abort(orderId);
      }

      @Override
      public Future<Order> abandon(String orderId) {
        return orders.abandon(orderId);
      }
    };
  }
}
