package io.webstore.orders;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.dynamo.ConditionFailures;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * {@link OrderStore} in memory, with the conditions of {@link DynamoOrderStore}: place if absent (a repeat of the same
 * checkout answers the stored order), aborted ids burnt, transitions conditional on the status and checkout mark read,
 * and listings that page like a query with a limit (a full page always carries a cursor).
 */
final class InMemoryOrderStore implements OrderStore {

  private final Map<String, Order> orders = new TreeMap<>();
  private final Set<String> aborted = new HashSet<>();
  private final Set<String> owing = new HashSet<>();
  private final Map<String, Long> statusSequences = new HashMap<>();

  @Override
  public synchronized Future<Order> place(Order order) {
    Order existing = orders.get(order.id());
    if (aborted.contains(order.id()) || existing != null && !existing.checkoutId().equals(order.checkoutId())) {
      return Future.failedFuture(new Conflict("order " + order.id() + " was aborted or belongs to another checkout"));
    }
    if (existing != null) {
      return Future.succeededFuture(existing);
    }
    Order stored = stored(order, order.updatedAt(), true, order.version());
    orders.put(order.id(), stored);
    return Future.succeededFuture(stored);
  }

  @Override
  public synchronized Future<Optional<Order>> abort(String orderId) {
    Order existing = orders.get(orderId);
    if (existing == null) {
      aborted.add(orderId);
    }
    return Future.succeededFuture(Optional.ofNullable(existing));
  }

  @Override
  public synchronized Future<Order> find(String orderId) {
    Order order = orders.get(orderId);
    return order == null ? Future.failedFuture(new NotFound("order", orderId)) : Future.succeededFuture(order);
  }

  @Override
  public synchronized Future<Order> transition(Order current, OrderStatus next, Instant at) {
    Order stored = orders.get(current.id());
    if (stored == null || stored.status() != current.status()
        || (current.checkoutPending() && !stored.checkoutPending())) {
      return Future.failedFuture(new Conflict("order " + current.id() + " changed meanwhile; reload it and retry"));
    }
    // the write takes the read order's fields, as the adapter's update sets status, time and version from it
    Order moved = current.withStatus(next, Timestamps.millis(at));
    Order written = new Order(stored.id(), stored.customerId(), next, stored.lines(), stored.totals(),
        stored.shippingAddress(), stored.checkoutId(), stored.holdId(), stored.paymentKey(), stored.saleClaims(),
        stored.createdAt(), moved.updatedAt(), current.checkoutPending(), moved.version());
    orders.put(current.id(), written);
    if (next.releasesOrder()) {
      owing.add(current.id());
    }
    return Future.succeededFuture(written);
  }

  @Override
  public synchronized Future<SequencedOrder> findSequenced(String orderId) {
    return find(orderId).map(order -> new SequencedOrder(order, statusSequences.getOrDefault(orderId, 0L)));
  }

  @Override
  public synchronized Future<Order> transition(Order current, OrderStatus next, Instant at, StatusReport report) {
    if (statusSequences.getOrDefault(current.id(), 0L) >= report.sequence()) {
      return Future.failedFuture(new Conflict("order " + current.id() + " changed meanwhile; reload it and retry"));
    }
    return transition(current, next, at).onSuccess(moved -> statusSequences.put(current.id(), report.sequence()));
  }

  @Override
  public synchronized Future<Order> restamp(Order current, StatusReport report) {
    Order stored = orders.get(current.id());
    if (stored == null || stored.status() != current.status()
        || statusSequences.getOrDefault(current.id(), 0L) >= report.sequence()) {
      return Future.failedFuture(new Conflict("order " + current.id() + " changed meanwhile; reload it and retry"));
    }
    statusSequences.put(current.id(), report.sequence());
    return Future.succeededFuture(stored);
  }

  @Override
  public synchronized Future<Void> compensated(String orderId) {
    if (!orders.containsKey(orderId)) {
      return Future.failedFuture(ConditionFailures.of("orders", "compensatedOrder", Optional.empty()));
    }
    owing.remove(orderId);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<Order>> owingCompensation(Instant before, int limit) {
    Map<String, List<Order>> shards = new HashMap<>();
    owing.stream().map(orders::get)
        .filter(order -> Timestamps.format(order.updatedAt()).compareTo(Timestamps.format(before)) < 0)
        .sorted(Comparator.comparing(order -> Timestamps.format(order.updatedAt())))
        .forEach(order -> shards.computeIfAbsent(DynamoOrderStore.shard(order.id()), shard -> new ArrayList<>())
            .add(order));
    List<Order> found = new ArrayList<>();
    shards.values().forEach(shard -> found.addAll(shard.subList(0, Math.min(limit, shard.size()))));
    return Future.succeededFuture(found);
  }

  @Override
  public synchronized Future<OrderPage> byCustomer(String customerId, int limit, Optional<String> cursor) {
    return refusedCursor(() -> newestFirst("customer:" + customerId,
        order -> order.customerId().equals(customerId), limit, cursor));
  }

  @Override
  public synchronized Future<OrderPage> byStatus(Optional<OrderStatus> status, int limit, Optional<String> cursor) {
    if (status.isEmpty()) {
      return refusedCursor(() -> {
        String after = cursor.map(text -> decode(text, "all")).orElse("");
        List<Order> page = orders.values().stream().filter(order -> order.id().compareTo(after) > 0).limit(limit)
            .toList();
        return new OrderPage(page, page.size() < limit ? Optional.empty()
            : Optional.of(encode("all", page.get(page.size() - 1).id())));
      });
    }
    return refusedCursor(() -> newestFirst("status:" + status.get().wire(),
        order -> order.status() == status.get(), limit, cursor));
  }

  /** A listing, or a failed future when its cursor is refused (never a throw: the port returns futures). */
  private static Future<OrderPage> refusedCursor(java.util.function.Supplier<OrderPage> listing) {
    try {
      return Future.succeededFuture(listing.get());
    } catch (Validation refused) {
      return Future.failedFuture(refused);
    }
  }

  // like an index on (partition, created_at), read backwards; the cursor is the last key and names its listing
  private OrderPage newestFirst(String listing, Predicate<Order> in, int limit, Optional<String> cursor) {
    Comparator<Order> newest = Comparator.comparing((Order order) -> Timestamps.format(order.createdAt()))
        .thenComparing(Order::id).reversed();
    Optional<Order> after = cursor.map(text -> decode(text, listing)).map(orders::get);
    List<Order> page = orders.values().stream().filter(in)
        .sorted(newest)
        .filter(order -> after.isEmpty() || newest.compare(order, after.get()) > 0)
        .limit(limit)
        .toList();
    return new OrderPage(page, page.size() < limit ? Optional.empty()
        : Optional.of(encode(listing, page.get(page.size() - 1).id())));
  }

  private static String encode(String listing, String orderId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(new JsonObject().put("listing", listing)
        .put("pk", orderId).encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor, String listing) {
    JsonObject json;
    try {
      json = new JsonObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | io.vertx.core.json.DecodeException e) {
      throw Validation.of("cursor", "the cursor is malformed");
    }
    if (!listing.equals(json.getString("listing")) || !(json.getValue("pk") instanceof String orderId)) {
      throw Validation.of("cursor", "the cursor does not belong to this listing");
    }
    return orderId;
  }

  private static Order stored(Order order, Instant updatedAt, boolean checkoutPending, long version) {
    return new Order(order.id(), order.customerId(), order.status(), order.lines(), order.totals(),
        order.shippingAddress(), order.checkoutId(), order.holdId(), order.paymentKey(), order.saleClaims(),
        Timestamps.millis(order.createdAt()), Timestamps.millis(updatedAt), checkoutPending, version);
  }
}
