package io.webstore.checkout;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.cart.CartClient;
import io.webstore.cart.CartContents;
import io.webstore.cart.CartLine;
import io.webstore.cart.InMemoryCustomerCarts;
import io.webstore.catalog.PriceQuote;
import io.webstore.fraud.FraudRequest;
import io.webstore.fraud.FraudVerdict;
import io.webstore.fraud.FraudVerdict.Decision;
import io.webstore.orders.Order;
import io.webstore.orders.OrderLine;
import io.webstore.orders.OrderStatus;
import io.webstore.orders.OrdersClient.PlaceOrder;
import io.webstore.orders.SaleClaim;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.DomainException;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.OutOfStock;
import io.webstore.platform.error.PaymentDeclined;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.money.Amount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The saga's {@link SagaPorts} in memory, with the rules of the features behind {@link ClientPorts} (stated by {@link
 * SagaPortsContract}): carts claimed by the cart's own rules ({@link
 * InMemoryCustomerCarts}), quotes as seeded, holds that take every line or none and are committed or released once,
 * one outcome per payment key (only {@value #APPROVE} approves; a void fences the key), sale allowance counted once
 * per checkout, a fraud tier that decides as seeded ({@link #fraudDecides}, allow by default), and orders written once
 * per id, with an abort that burns an unplaced id and an abandon that voids the
 * payment and returns the allowance, as the orders feature does. Seeding helpers put prices, sales, stock and cart
 * lines; the looks ({@link #onHand}, {@link #held}, {@link #payment}, {@link #order}, {@link #saleUnits}) let a test
 * assert what the saga left behind. Each operation is atomic, as one conditional write is.
 */
final class InMemorySagaPorts {

  /** The one token that approves, as in the sandbox payment provider. */
  static final String APPROVE = "tok_approve";

  private enum HoldState { OPEN, COMMITTED, RELEASED }

  private record Hold(Map<String, Integer> units, HoldState state, Instant expiresAt) {
    Hold in(HoldState next) {
      return new Hold(units, next, expiresAt);
    }

    boolean live(Instant now) {
      return state == HoldState.OPEN && now.isBefore(expiresAt);
    }
  }

  private record Payment(String status, Amount amount) {}

  private static final class SaleCounter {
    int units;
    final Set<String> claims = new HashSet<>();
    final Set<String> released = new HashSet<>();
  }

  private final Clock clock;
  private final InMemoryCustomerCarts carts = new InMemoryCustomerCarts();
  private final Map<String, PriceQuote> quotes = new HashMap<>();
  private final Map<String, Integer> onHand = new HashMap<>();
  private final Map<String, Hold> holds = new HashMap<>();
  private final Map<String, Payment> payments = new HashMap<>();
  private final Map<String, SaleCounter> saleCounters = new HashMap<>();
  private final Map<String, Order> orders = new HashMap<>();
  private final List<FraudRequest> scored = new ArrayList<>();
  private Optional<Decision> fraudDecision = Optional.of(Decision.ALLOW);
  private boolean providerFlags;
  private final Set<String> aborted = new HashSet<>();

  InMemorySagaPorts() {
    this(Clock.systemUTC());
  }

  /** Ports whose holds expire by {@code clock}. */
  InMemorySagaPorts(Clock clock) {
    this.clock = clock;
  }

  /** The ports, with {@code records} as the saga's idempotency records. */
  SagaPorts ports(IdempotencyStore records) {
    return new SagaPorts(new Carts(), this::prices, stock, new Payments(), new Orders(), records, new Risk());
  }

  /** The fraud tier's decision on every later payment; empty: it does not answer (Unavailable). */
  synchronized InMemorySagaPorts fraudDecides(Optional<Decision> decision) {
    fraudDecision = decision;
    return this;
  }

  /** Whether the provider flags every later authorized payment as risky. */
  synchronized InMemorySagaPorts providerFlags(boolean flags) {
    providerFlags = flags;
    return this;
  }

  /** The payments the fraud tier was asked about, in order. */
  synchronized List<FraudRequest> scored() {
    return List.copyOf(scored);
  }

  // ---- seeding

  /** The catalog sells {@code sku} at {@code price} USD (no sale), and {@code units} are on hand. */
  synchronized InMemorySagaPorts product(String sku, String price, int units) {
    Amount amount = Amount.of(price, "USD");
    quotes.put(sku, new PriceQuote(sku, "Item " + sku, amount, amount, Optional.empty()));
    onHand.put(sku, units);
    return this;
  }

  /** A flash sale of {@code sku} (already sold) at {@code price} until {@code endsAt}, {@code limit} per customer. */
  synchronized InMemorySagaPorts sale(String sku, String saleId, String price, int limit, Instant endsAt) {
    PriceQuote listed = quotes.get(sku);
    quotes.put(sku, new PriceQuote(sku, listed.name(), Amount.of(price, listed.currency()), listed.listPrice(),
        Optional.of(new PriceQuote.SaleTerms(saleId, limit, endsAt))));
    return this;
  }

  /** Sets the units on hand of {@code sku} (the units held stay held). */
  synchronized InMemorySagaPorts stock(String sku, int units) {
    onHand.put(sku, units);
    return this;
  }

  /** Adds {@code quantity} units of {@code sku} to the customer's cart, as a saved change (the version moves on). */
  synchronized InMemorySagaPorts addToCart(String customerId, String sku, int quantity) {
    carts.add(customerId, sku, quantity);
    return this;
  }

  // ---- looks

  /** Units of {@code sku} on hand (committed holds taken out). */
  synchronized int onHand(String sku) {
    return onHand.getOrDefault(sku, 0);
  }

  /** Units of {@code sku} in live holds. */
  synchronized int held(String sku) {
    Instant now = clock.instant();
    return holds.values().stream().filter(hold -> hold.live(now))
        .mapToInt(hold -> hold.units().getOrDefault(sku, 0)).sum();
  }

  /** The status of a payment key ({@code authorized}, {@code declined}, {@code voided}), if it has one. */
  synchronized Optional<String> payment(String paymentKey) {
    return Optional.ofNullable(payments.get(paymentKey)).map(Payment::status);
  }

  /** Payment keys authorized and never voided: the charges standing. */
  synchronized long charges() {
    return payments.values().stream().filter(payment -> payment.status().equals("authorized")).count();
  }

  /** The order of {@code orderId}, if one was written (an aborted id has none). */
  synchronized Optional<Order> order(String orderId) {
    return Optional.ofNullable(orders.get(orderId));
  }

  /** Units of sale {@code saleId} the customer's standing checkouts took. */
  synchronized int saleUnits(String saleId, String customerId) {
    return Optional.ofNullable(saleCounters.get(saleId + "#" + customerId)).map(counter -> counter.units).orElse(0);
  }

  // ---- the ports

  private synchronized Future<Map<String, PriceQuote>> prices(List<String> skus) {
    Map<String, PriceQuote> found = new LinkedHashMap<>();
    skus.stream().filter(quotes::containsKey).forEach(sku -> found.put(sku, quotes.get(sku)));
    return Future.succeededFuture(found);
  }

  private final class Carts implements SagaPorts.Carts {
    @Override
    public Future<CartContents> contents(String customerId) {
      return Future.succeededFuture(carts.contents(customerId));
    }

    @Override
    public Future<Void> claim(String customerId, String recordId, String orderId, long version,
        Map<String, Integer> units) {
      return carts.claim(customerId, recordId, orderId, version, units);
    }

    @Override
    public Future<Void> release(String customerId, String recordId) {
      return carts.release(customerId, recordId);
    }

    @Override
    public Future<Void> removeOrdered(String customerId, String recordId, Map<String, Integer> units) {
      return carts.removeOrdered(customerId, recordId, units);
    }
  }

  private final Stock stock = new Stock();

  private final class Stock implements SagaPorts.Stock {
    @Override
    public Future<Map<String, Integer>> availability(List<String> skus) {
      synchronized (InMemorySagaPorts.this) {
        Map<String, Integer> available = new LinkedHashMap<>();
        skus.forEach(sku -> available.put(sku, Math.max(0, onHand(sku) - held(sku))));
        return Future.succeededFuture(available);
      }
    }

    @Override
    public Future<Void> hold(String holdId, List<OrderLine> lines, Duration ttl) {
      synchronized (InMemorySagaPorts.this) {
        Map<String, Integer> units = new LinkedHashMap<>();
        lines.forEach(line -> units.merge(line.sku(), line.quantity(), Integer::sum));
        Hold existing = holds.get(holdId);
        if (existing != null) {
          return existing.units().equals(units) ? Future.succeededFuture()
              : Future.failedFuture(new Conflict("hold " + holdId + " already exists with other lines"));
        }
        List<String> shortSkus = units.entrySet().stream()
            .filter(unit -> onHand(unit.getKey()) - held(unit.getKey()) < unit.getValue())
            .map(Map.Entry::getKey).toList();
        if (!shortSkus.isEmpty()) {
          return Future.failedFuture(new OutOfStock("not enough units of " + String.join(", ", shortSkus),
              new JsonArray(shortSkus)));
        }
        holds.put(holdId, new Hold(units, HoldState.OPEN, clock.instant().plus(ttl)));
        return Future.succeededFuture();
      }
    }

    @Override
    public Future<Void> commit(String holdId) {
      synchronized (InMemorySagaPorts.this) {
        Hold hold = holds.get(holdId);
        if (hold == null) {
          return Future.failedFuture(new NotFound("hold", holdId));
        }
        if (hold.state() == HoldState.COMMITTED) {
          return Future.succeededFuture();
        }
        if (!hold.live(clock.instant())) {
          return Future.failedFuture(new Conflict("hold " + holdId + " was "
              + (hold.state() == HoldState.RELEASED ? "released" : "expired") + "; hold the units again"));
        }
        hold.units().forEach((sku, quantity) -> onHand.merge(sku, -quantity, Integer::sum));
        holds.put(holdId, hold.in(HoldState.COMMITTED));
        return Future.succeededFuture();
      }
    }

    @Override
    public Future<Void> release(String holdId) {
      synchronized (InMemorySagaPorts.this) {
        Hold hold = holds.get(holdId);
        if (hold != null && hold.state() == HoldState.OPEN) {
          holds.put(holdId, hold.in(HoldState.RELEASED));
        }
        return Future.succeededFuture();
      }
    }
  }

  private final class Payments implements SagaPorts.Payments {
    @Override
    public Future<Boolean> authorize(String paymentKey, Amount amount, String token, Map<String, String> metadata) {
      synchronized (InMemorySagaPorts.this) {
        Payment recorded = payments.computeIfAbsent(paymentKey,
            key -> new Payment(APPROVE.equals(token) ? "authorized" : "declined", amount));
        return switch (recorded.status()) {
          case "declined" -> Future.failedFuture(new PaymentDeclined("the payment was declined"));
          case "voided" -> Future.failedFuture(
              new Conflict("payment key " + paymentKey + " was voided; it cannot be charged"));
          default -> recorded.amount().equals(amount) ? Future.succeededFuture(providerFlags)
              : Future.failedFuture(new Conflict("payment key " + paymentKey + " was authorized for another amount"));
        };
      }
    }

    @Override
    public Future<Void> voidAuthorization(String paymentKey) {
      synchronized (InMemorySagaPorts.this) {
        voidPayment(paymentKey);
        return Future.succeededFuture();
      }
    }
  }

  /** Authorized becomes voided; a key without an outcome is fenced (voided); declined and voided stay. */
  private void voidPayment(String paymentKey) {
    Payment recorded = payments.get(paymentKey);
    if (recorded == null || recorded.status().equals("authorized")) {
      payments.put(paymentKey, new Payment("voided", recorded == null ? null : recorded.amount()));
    }
  }

  private final class Risk implements SagaPorts.Risk {
    @Override
    public Future<FraudVerdict> score(FraudRequest payment) {
      synchronized (InMemorySagaPorts.this) {
        scored.add(payment);
        return fraudDecision
            .map(decision -> Future.succeededFuture(new FraudVerdict(decision == Decision.ALLOW ? 0.1 : 0.95,
                decision, List.of(), "memory", 0)))
            .orElseGet(() -> Future.failedFuture(new Unavailable("the fraud tier did not answer")));
      }
    }
  }

  private final class Orders implements SagaPorts.Orders {
    @Override
    public Future<Void> claimSaleLimits(String customerId, String claimId, List<SaleClaim> claims) {
      synchronized (InMemorySagaPorts.this) {
        for (SaleClaim claim : claims) { // in order; claims taken before a refused one stay taken until released
          SaleCounter counter = saleCounters.computeIfAbsent(claim.saleId() + "#" + customerId,
              key -> new SaleCounter());
          if (counter.claims.contains(claimId)) {
            continue;
          }
          if (counter.released.contains(claimId)) {
            return Future.failedFuture(new Conflict("checkout " + claimId + " was rolled back"));
          }
          if (counter.units + claim.quantity() > claim.limit()) {
            return Future.failedFuture(new Conflict("sale " + claim.saleId() + " allows at most " + claim.limit()
                + " units per customer", new JsonObject().put("sale_id", claim.saleId()).put("limit", claim.limit())));
          }
          counter.units += claim.quantity();
          counter.claims.add(claimId);
        }
        return Future.succeededFuture();
      }
    }

    @Override
    public Future<Void> releaseSaleLimits(String customerId, String claimId, List<SaleClaim> claims) {
      synchronized (InMemorySagaPorts.this) {
        claims.forEach(claim -> releaseSale(customerId, claimId, claim));
        return Future.succeededFuture();
      }
    }

    @Override
    public Future<Order> place(PlaceOrder command) {
      synchronized (InMemorySagaPorts.this) {
        Order existing = orders.get(command.orderId());
        if (existing != null && existing.checkoutId().equals(command.checkoutId())) {
          return Future.succeededFuture(existing);
        }
        if (existing != null || aborted.contains(command.orderId())) {
          return Future.failedFuture(new Conflict("order " + command.orderId()
              + " was aborted or belongs to another checkout"));
        }
        Order placed = Order.placed(command.orderId(), command.customerId(), command.initialStatus(), command.lines(),
            command.address(), command.checkoutId(), command.holdId(), command.paymentKey(), command.saleClaims(),
            command.placedAt().truncatedTo(ChronoUnit.MILLIS));
        orders.put(placed.id(), placed);
        return Future.succeededFuture(placed);
      }
    }

    @Override
    public Future<Optional<Order>> abort(String orderId) {
      synchronized (InMemorySagaPorts.this) {
        Order existing = orders.get(orderId);
        if (existing == null) {
          aborted.add(orderId);
        }
        return Future.succeededFuture(Optional.ofNullable(existing));
      }
    }

    @Override
    public Future<Order> abandon(String orderId) {
      synchronized (InMemorySagaPorts.this) {
        Order existing = orders.get(orderId);
        if (existing == null) {
          return Future.failedFuture(new NotFound("order", orderId));
        }
        if (existing.status().releasesOrder()) {
          return Future.succeededFuture(existing);
        }
        // as the orders feature does: a pending order's hold that commits after all means the order has its stock
        if (!existing.checkoutPending() || stock.commit(existing.holdId()).succeeded()) {
          return Future.failedFuture(new Conflict("order " + orderId + " has its stock; cancel it instead"));
        }
        // cancelled without restock; the payment and the sale allowance are given back, as the orders feature does
        Order cancelled = existing.withStatus(OrderStatus.CANCELLED, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        orders.put(orderId, cancelled);
        voidPayment(existing.paymentKey());
        existing.saleClaims().forEach(claim -> releaseSale(existing.customerId(), existing.checkoutId(), claim));
        return Future.succeededFuture(cancelled);
      }
    }
  }

  /** Gives back what {@code claimId} took of one sale, once; a give-back before the take fences the take out. */
  private void releaseSale(String customerId, String claimId, SaleClaim claim) {
    SaleCounter counter = saleCounters.computeIfAbsent(claim.saleId() + "#" + customerId, key -> new SaleCounter());
    if (counter.claims.remove(claimId)) {
      counter.units -= claim.quantity();
    }
    counter.released.add(claimId);
  }
}
