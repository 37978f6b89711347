package io.webstore.orders;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.inventory.InventoryClient;
import io.webstore.payment.PaymentClient;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.PaymentDeclined;
import io.webstore.platform.dynamo.TransientAsUnavailable;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.events.Events;
import io.webstore.platform.resilience.SingleRun;
import io.webstore.platform.error.Validation;
import io.webstore.platform.feeds.FeedOutcome;
import io.webstore.platform.resilience.Retries;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the {@code orders.*} addresses: the order store, status changes by the {@link OrderStatus} table, and the sale
 * allowance counters. Releasing an order (cancelled, payment failed) gives back its stock ({@code inventory.restock},
 * operation {@code <order id>:cancel}, only if the checkout had committed it), voids its payment and returns its sale
 * allowance; the order keeps a {@code compensation_pending} marker until all three are done, and a periodic scan
 * finishes whatever a crash or an outage left undone. Every step is idempotent. Run one instance per process.
 */
final class OrdersVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(OrdersVerticle.class);
  private static final int COMPENSATION_BATCH = 25;
  /** Orders whose reports of one feed batch are applied at once (each order's reports one after another). */
  private static final int FEED_CONCURRENCY = 16;
  private static final int REPORT_ATTEMPTS = 4;

  private final OrderStore store;
  private final SaleLimits saleLimits;
  private final OrdersSettings settings;
  private final Clock clock;
  private PaymentClient payments;
  private InventoryClient inventory;
  private long scanTimer = -1;
  private Retries reportRetry;
  private final SingleRun<Void> scans = new SingleRun<>();

  OrdersVerticle(OrderStore store, SaleLimits saleLimits, OrdersSettings settings, Clock clock) {
    this.store = store;
    this.saleLimits = saleLimits;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    payments = new PaymentClient(vertx, settings.callTimeout());
    inventory = new InventoryClient(vertx);
    // a report whose conditional write lost to another change reads the order again and decides anew
    reportRetry = Retries.named("orders.feed").attempts(REPORT_ATTEMPTS).noBackoff()
        .retryIf(err -> err instanceof Conflict).build(vertx);
    return Future.all(List.of(
            consumer(OrdersClient.PLACE, body -> store.place(newOrder(body))
                .onSuccess(placed -> Events.publishLocally(vertx.eventBus(), OrderEvents.placed(placed)))
                .map(OrderJson::internal)),
            consumer(OrdersClient.ABORT, this::abort),
            consumer(OrdersClient.ABANDON, this::abandon),
            consumer(OrdersClient.GET, body -> owned(id(body), Optional.ofNullable(body.getString("customer_id")))
                .map(OrderJson::internal)),
            consumer(OrdersClient.LIST, body -> store.byCustomer(required(body, "customer_id"), body.getInteger("limit", 20),
                Optional.ofNullable(body.getString("cursor"))).map(OrderJson::pageInternal)),
            consumer(OrdersClient.ADMIN_LIST, body -> store.byStatus(
                Optional.ofNullable(body.getString("status")).map(OrdersVerticle::status),
                body.getInteger("limit", 20), Optional.ofNullable(body.getString("cursor")))
                .map(OrderJson::pageInternal)),
            consumer(OrdersClient.CANCEL, this::cancel),
            consumer(OrdersClient.SET_STATUS, this::setStatus),
            consumer(OrdersClient.FEED, this::feed),
            consumer(OrdersClient.RELEASE, this::releaseFromReview),
            consumer(OrdersClient.CLAIM_SALE_LIMITS, body -> saleLimits.claim(required(body, "customer_id"),
                required(body, "claim_id"), OrderJson.claims(body.getJsonArray("claims"))).map(new JsonObject())),
            consumer(OrdersClient.RELEASE_SALE_LIMITS, body -> saleLimits.release(required(body, "customer_id"),
                required(body, "claim_id"), OrderJson.claims(body.getJsonArray("claims"))).map(new JsonObject()))))
        .onSuccess(ready -> {
          scanTimer = vertx.setPeriodic(settings.compensationInterval().toMillis(), tick -> scanCompensations());
          scanCompensations(); // what a crash left undone is finished at start too
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(scanTimer);
    return Future.succeededFuture();
  }

  private Future<JsonObject> abort(JsonObject body) {
    return store.abort(id(body)).map(existing -> existing
        .map(order -> new JsonObject().put("aborted", false).put("order", OrderJson.internal(order)))
        .orElseGet(() -> new JsonObject().put("aborted", true)));
  }

  private Future<Order> owned(String id, Optional<String> customerId) {
    return store.find(id).map(order -> {
      if (customerId.isPresent() && !customerId.get().equals(order.customerId())) {
        throw new NotFound("order", id); // someone else's order: never reveal that it exists
      }
      return order;
    });
  }

  private Future<JsonObject> cancel(JsonObject body) {
    String id = id(body);
    return owned(id, Optional.of(required(body, "customer_id")))
        .compose(order -> order.status() == OrderStatus.CANCELLED
            ? Future.succeededFuture(order) // cancelling twice is answered like the first time
            : release(order, OrderStatus.CANCELLED, Optional.empty()))
        .map(OrderJson::internal);
  }

  private Future<JsonObject> setStatus(JsonObject body) {
    OrderStatus target = status(required(body, "status"));
    return store.find(id(body))
        .compose(order -> moveTo(order, target, Optional.empty()))
        .map(OrderJson::internal);
  }

  /** The move by the state machine: shipping captures first, releasing gives back after. */
  private Future<Order> moveTo(Order order, OrderStatus target, Optional<StatusReport> report) {
    return target.releasesOrder() ? release(order, target, report)
        : target == OrderStatus.SHIPPED ? ship(order, report) : move(order, target, report);
  }

  /**
   * A batch of {@code supply.order-status} records: one order's reports in their order, different orders
   * concurrently, answered once every applied move is durable (a failure fails the whole batch, which the sender
   * resends: every report is conditional on its sequence).
   */
  private Future<JsonObject> feed(JsonObject body) {
    JsonArray records = body.getJsonArray("records");
    Map<String, List<Integer>> byOrder = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      byOrder.computeIfAbsent(records.getJsonObject(i).getString("order_id"), id -> new ArrayList<>()).add(i);
    }
    FeedOutcome[] outcomes = new FeedOutcome[records.size()];
    Deque<List<Integer>> pending = new ArrayDeque<>(byOrder.values());
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < Math.min(FEED_CONCURRENCY, pending.size()); lane++) {
      lanes.add(drain(pending, records, outcomes));
    }
    return Future.all(lanes).map(done -> FeedOutcome.reply(Arrays.asList(outcomes)))
        .recover(OrdersVerticle::unavailableWhenTransient);
  }

  /** The store did not answer: the sender sends the batch again (every report is conditional on its sequence). */
  private static Future<JsonObject> unavailableWhenTransient(Throwable err) {
    if (!TransientAsUnavailable.isTransient(err)) {
      return Future.failedFuture(err);
    }
    log.warn("orders.feed.unavailable error={}", err.toString());
    return Future.failedFuture(new Unavailable("the order store did not answer in time; send the batch again"));
  }

  /** Applies one order's reports after another from {@code pending} until it is empty. */
  private Future<Void> drain(Deque<List<Integer>> pending, JsonArray records, FeedOutcome[] outcomes) {
    List<Integer> next = pending.poll();
    if (next == null) {
      return Future.succeededFuture();
    }
    Future<Void> chain = Future.succeededFuture();
    for (int index : next) {
      chain = chain.compose(previous -> report(records.getJsonObject(index))
          .map(outcome -> {
            outcomes[index] = outcome;
            return null;
          }));
    }
    return chain.compose(done -> drain(pending, records, outcomes));
  }

  /**
   * One status report: stale unless its sequence is above the stored one; the same status again only stores the
   * higher sequence; any other status must be a legal move. Unknown orders and illegal moves can never apply.
   */
  private Future<FeedOutcome> report(JsonObject record) {
    String orderId = record.getString("order_id");
    OrderStatus target;
    try {
      target = OrderStatus.fromWire(record.getString("status"));
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(FeedOutcome.rejected("unknown-status: " + record.getString("status")));
    }
    StatusReport report = new StatusReport(record.getLong("sequence"),
        Optional.ofNullable(record.getString("tracking")));
    return reportRetry.run(() -> store.findSequenced(orderId).compose(found -> {
          Order order = found.order();
          if (found.statusSequence() >= report.sequence()) {
            return Future.succeededFuture(FeedOutcome.stale());
          }
          if (order.status() == target) {
            return store.restamp(order, report).map(restamped -> FeedOutcome.applied());
          }
          if (!order.status().canMoveTo(target)) {
            return Future.succeededFuture(FeedOutcome.rejected("illegal-transition: " + order.status().wire()
                + " -> " + target.wire()));
          }
          return moveTo(order, target, Optional.of(report)).map(moved -> FeedOutcome.applied());
        }))
        .recover(err -> {
          if (err instanceof CaptureRefused refused) {
            log.warn("orders.feed.capture_refused order={} error={}", orderId, refused.getMessage());
            return Future.succeededFuture(FeedOutcome.rejected("capture-refused: " + refused.getMessage()));
          }
          return err instanceof NotFound
              ? Future.succeededFuture(FeedOutcome.rejected("unknown-order: " + orderId))
              : Future.failedFuture(err);
        });
  }

  /**
   * An admin's verdict on an order held for review: on to {@code placed}, its normal life from there (paid, shipped and
   * captured by the usual moves). Answered like the first time when it was released already by this move.
   */
  private Future<JsonObject> releaseFromReview(JsonObject body) {
    return store.find(id(body))
        .compose(order -> {
          if (order.status() != OrderStatus.REVIEW) {
            return Future.failedFuture(new Conflict("order " + order.id() + " is " + order.status().wire()
                + ", not held for review", new JsonObject().put("order_status", order.status().wire())));
          }
          return move(order, OrderStatus.PLACED, Optional.empty());
        })
        .map(OrderJson::internal);
  }

  /** A new order as the checkout sent it: version 1, in an initial status (placed or review). */
  private static Order newOrder(JsonObject body) {
    Order order = OrderJson.order(body);
    if (!order.status().initial() || order.version() != 1) {
      throw Validation.of("/status", "a new order starts placed or review, at version 1");
    }
    return order;
  }

  /**
   * Shipping captures the payment first: no order leaves uncharged. The capture is idempotent per payment key, so a
   * shipping that is retried (after a lost reply or a failed status write) captures once.
   */
  private Future<Order> ship(Order order, Optional<StatusReport> report) {
    return stockSettled(order).compose(settled -> {
      requireMovable(settled, OrderStatus.SHIPPED);
      return payments.capture(settled.paymentKey())
          .recover(err -> Future.failedFuture(report.isPresent() && isRefusal(err) ? new CaptureRefused(err) : err))
          .compose(captured -> moveSettled(settled, OrderStatus.SHIPPED, report));
    });
  }

  /**
   * The order with its stock settled. An order whose checkout may not have committed its stock yet ({@code
   * checkoutPending}: the checkout does not write again to clear it) has that commit rolled forward here: its item
   * exists, so its checkout completes whoever finishes it, and a commit is idempotent (a committed hold commits again
   * as a success). It then moves like any other order, and the move's own write clears the marker. A hold that can no
   * longer be committed (released or expired: its checkout is abandoning the order) leaves it pending, and
   * {@link #requireMovable} refuses the move.
   */
  private Future<Order> stockSettled(Order order) {
    if (!order.checkoutPending()) {
      return Future.succeededFuture(order);
    }
    return inventory.commit(order.holdId()).map(committed -> order.confirmed())
        .recover(err -> err instanceof Conflict || err instanceof NotFound
            ? Future.succeededFuture(order)
            : Future.failedFuture(err));
  }

  /** A capture that asking again cannot change: declined, a payment voided or failed, or no payment record at all. */
  private static boolean isRefusal(Throwable err) {
    return err instanceof PaymentDeclined || err instanceof Conflict || err instanceof NotFound;
  }

  /**
   * A status report's capture the payment side refused for good: the report goes to the dead letters with the reason
   * instead of failing its batch, which the feed would resend forever, holding up every later record of the partition.
   */
  private static final class CaptureRefused extends RuntimeException {
    CaptureRefused(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private Future<Order> move(Order order, OrderStatus target, Optional<StatusReport> report) {
    return stockSettled(order).compose(settled -> moveSettled(settled, target, report));
  }

  private Future<Order> moveSettled(Order order, OrderStatus target, Optional<StatusReport> report) {
    requireMovable(order, target);
    return transition(order, target, report)
        .onSuccess(moved -> log.info("orders.status_changed order={} from={} to={}", order.id(),
            order.status().wire(), target.wire()));
  }

  /** Moves to a releasing status, then gives back what the order holds. */
  private Future<Order> release(Order order, OrderStatus target, Optional<StatusReport> report) {
    return stockSettled(order).compose(settled -> releaseSettled(settled, target, report));
  }

  private Future<Order> releaseSettled(Order order, OrderStatus target, Optional<StatusReport> report) {
    requireMovable(order, target);
    return transition(order, target, report)
        .onSuccess(moved -> log.info("orders.released order={} from={} to={}", order.id(), order.status().wire(),
            target.wire()))
        .compose(moved -> compensate(moved).map(moved).recover(err -> {
          // the order is released; the scan finishes the give-back later
          log.warn("orders.compensation.deferred order={} error={}", moved.id(), err.toString());
          return Future.succeededFuture(moved);
        }));
  }

  /** The durable move (its event in the order's outbox), then the same event on the local bus. */
  private Future<Order> transition(Order order, OrderStatus target, Optional<StatusReport> report) {
    return (report.isPresent()
            ? store.transition(order, target, clock.instant(), report.get())
            : store.transition(order, target, clock.instant()))
        .onSuccess(moved -> Events.publishLocally(vertx.eventBus(), OrderEvents.moved(moved, order.status())));
  }

  private static void requireMovable(Order order, OrderStatus target) {
    if (order.checkoutPending()) {
      throw new Conflict("order " + order.id() + " is still being placed; retry shortly");
    }
    if (!order.status().canMoveTo(target)) {
      throw new Conflict("order " + order.id() + " is " + order.status().wire() + " and cannot become "
          + target.wire(), new JsonObject().put("order_status", order.status().wire())
          .put("allowed", new JsonArray(order.status().next().stream()
              .map(OrderStatus::wire).sorted().toList())));
    }
  }

  private Future<JsonObject> abandon(JsonObject body) {
    return store.find(id(body)).compose(order -> {
      if (order.status().releasesOrder()) {
        return Future.succeededFuture(order);
      }
      // asked after the checkout's commit was refused; a hold that commits after all means the order has its stock
      return stockSettled(order).compose(settled -> {
        if (!settled.checkoutPending()) {
          return Future.failedFuture(new Conflict("order " + settled.id() + " has its stock; cancel it instead"));
        }
        return transition(settled, OrderStatus.CANCELLED, Optional.empty())
            .onSuccess(moved -> log.warn("orders.abandoned order={} reason=stock_not_committed", moved.id()))
            .compose(moved -> compensate(moved).map(moved));
      });
    }).map(OrderJson::internal);
  }

  /**
   * Gives back a released order's stock (only if its checkout had committed it), payment and sale allowance, then
   * clears its marker. Each part is idempotent, so running it again after a partial failure is safe.
   */
  private Future<Void> compensate(Order order) {
    Future<Void> restocked = Future.succeededFuture();
    if (!order.checkoutPending()) {
      for (OrderLine line : order.lines()) {
        restocked = restocked.compose(previous -> inventory.restock(line.sku(), line.quantity(),
            "order " + order.status().wire(), order.id() + ":cancel").mapEmpty());
      }
    }
    return restocked
        .compose(done -> payments.voidAuthorization(order.paymentKey()))
        .compose(done -> saleLimits.release(order.customerId(), order.checkoutId(), order.saleClaims()))
        .compose(done -> store.compensated(order.id()))
        .onSuccess(done -> log.info("orders.compensated order={} restocked={}", order.id(),
            !order.checkoutPending()));
  }

  private void scanCompensations() {
    scans.startIfIdle(() -> store.owingCompensation(clock.instant().minus(settings.compensationGrace()),
            COMPENSATION_BATCH)
        .compose(orders -> {
          Future<Void> chain = Future.succeededFuture();
          for (Order order : orders) {
            chain = chain.compose(previous -> compensate(order).recover(err -> {
              log.warn("orders.compensation.failed order={} error={}", order.id(), err.toString());
              return Future.succeededFuture();
            }));
          }
          return chain;
        }))
        .ifPresent(scan -> scan.onFailure(err ->
            log.warn("orders.compensation.scan_failed error={}", err.toString())));
  }

  private Future<Void> consumer(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> answer(msg, handler)).completion();
  }

  private static void answer(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future.succeededFuture(msg.body())
        .compose(handler) // a rule broken while reading the request fails this future, not the consumer
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, err));
  }

  private static String id(JsonObject body) {
    return required(body, "id");
  }

  private static OrderStatus status(String wire) {
    try {
      return OrderStatus.fromWire(wire);
    } catch (IllegalArgumentException e) {
      throw Validation.of("/status", "status must be one of placed, paid, fulfilling, shipped, delivered, "
          + "cancelled, payment_failed, review");
    }
  }

  private static String required(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String value) || value.isBlank()) {
      throw Validation.of("/" + field, field + " must be a non-empty string");
    }
    return value;
  }
}
