package io.webstore.orders;

import static io.webstore.platform.dynamo.Attrs.n;
import static io.webstore.platform.dynamo.Attrs.s;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.money.Amount;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Attrs;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Landed;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Validation;
import io.webstore.platform.events.Outbox;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Orders in the {@code orders} table, key {@code pk} = order id. The item carries the order, its outbox (the events of
 * its changes, written in the same write; shape in {@link Outbox}) and these sparse markers, each present only
 * while true and each the key of a sparse index so a scan finds exactly the items that need work:
 *
 * <ul>
 *   <li>{@code outbox_pending} (shard) → {@value #OUTBOX_INDEX}, for the outbox relay ({@code io.webstore.events});
 *   <li>{@code compensation_pending} (shard) → {@value #COMPENSATION_INDEX}: a released order whose stock, payment or
 *       sale allowance has not all been given back yet;
 *   <li>{@code checkout_pending}: the order's stock may not be committed yet (no index): written with the order; the
 *       checkout does not clear it (that cost a write per order), the order's first move does, once its stock is
 *       committed.
 * </ul>
 *
 * <p>{@value #STATUS_SEQUENCE} and {@code tracking} come with the supply chain's status reports: a report moves the
 * order only if its sequence is above the stored one, in the same conditional write.
 *
 * <p>{@value #CUSTOMER_INDEX} ({@code customer_id}, {@code created_at}) lists a customer's orders and {@value
 * #STATUS_INDEX} ({@code status}, {@code created_at}) the orders in a status. An aborted order id is an item with only
 * {@code pk}, {@code aborted} and {@code created_at}: it is in no index and reads as absent.
 *
 * <p>Markers are sharded over {@value #SHARDS} values so that no single index partition takes every write of a flash
 * sale. {@code status} is not: at very high order rates the status index would need the same treatment.
 */
final class DynamoOrderStore implements OrderStore {

  static final String CUSTOMER_INDEX = "customer-index";
  static final String STATUS_INDEX = "status-index";
  static final String OUTBOX_INDEX = Outbox.INDEX;
  static final String COMPENSATION_INDEX = "compensation-index";
  static final int SHARDS = 8;
  /** The sequence of the last status report applied (absent until one is). */
  static final String STATUS_SEQUENCE = "status_sequence";

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("orders", TableSpec.Key.string("pk"))
      .withIndex(CUSTOMER_INDEX, TableSpec.Key.string("customer_id"), TableSpec.Key.string("created_at"))
      .withIndex(STATUS_INDEX, TableSpec.Key.string("status"), TableSpec.Key.string("created_at"))
      .withIndex(OUTBOX_INDEX, TableSpec.Key.string(Outbox.PENDING), TableSpec.Key.string("created_at"))
      .withIndex(COMPENSATION_INDEX, TableSpec.Key.string("compensation_pending"), TableSpec.Key.string("updated_at"));

  private static final String METRIC = "webstore.orders.dynamo.calls";

  private final DynamoTable table;

  DynamoOrderStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.table = DynamoTable.of(vertx, dynamo, meters, METRIC, table, "pk");
  }

  @Override
  public Future<Order> place(Order order) {
    Map<String, AttributeValue> item = item(order);
    item.put("checkout_pending", s("1"));
    Outbox.putInto(item, order.id(), List.of(OrderEvents.placed(order)));
    // taken already: by this checkout (a retried call, another request or recovery of the same checkout: the order
    // stands), or by an abort that came first or a clash (a conflict)
    return table.put("putOrder", item, Condition.absent("pk"), Landed.whenItem(existing ->
            !existing.containsKey("aborted") && Attrs.string(existing, "checkout_id").orElse("")
                .equals(order.checkoutId())))
        .map(DynamoOrderStore::order)
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new Conflict("order " + order.id() + " was aborted or belongs to another checkout")
            : err));
  }

  @Override
  public Future<Optional<Order>> abort(String orderId) {
    return table.put("abortOrder", Map.of("pk", s(orderId), "aborted", AttributeValue.fromBool(true),
            "created_at", s(Timestamps.format(Instant.now()))), Condition.absent("pk"))
        .map(fenced -> Optional.<Order>empty())
        .recover(err -> err instanceof ConditionFailed failed
            ? Future.succeededFuture(failed.current().filter(existing -> !existing.containsKey("aborted"))
                .map(DynamoOrderStore::order))
            : Future.failedFuture(err));
  }

  @Override
  public Future<Order> find(String orderId) {
    return read(orderId).map(found -> found.orElseThrow(() -> new NotFound("order", orderId)));
  }

  /** The order, empty when absent or aborted. */
  private Future<Optional<Order>> read(String orderId) {
    return table.get("getItem", Map.of("pk", s(orderId)))
        .map(item -> item.filter(found -> !found.containsKey("aborted")).map(DynamoOrderStore::order));
  }

  @Override
  public Future<Order> transition(Order current, OrderStatus next, Instant at) {
    return transition(current, next, at, Optional.empty());
  }

  @Override
  public Future<SequencedOrder> findSequenced(String orderId) {
    return table.get("getItem", Map.of("pk", s(orderId)))
        .map(found -> found.filter(item -> !item.containsKey("aborted"))
            .map(item -> new SequencedOrder(order(item), Attrs.number(item, STATUS_SEQUENCE, 0)))
            .orElseThrow(() -> new NotFound("order", orderId)));
  }

  @Override
  public Future<Order> transition(Order current, OrderStatus next, Instant at, StatusReport report) {
    return transition(current, next, at, Optional.of(report));
  }

  @Override
  public Future<Order> restamp(Order current, StatusReport report) {
    Update update = Update.create();
    stamp(update, report);
    Condition condition = sequenceBelow(Condition.of("#status = :from").name("#status", "status")
        .value(":from", s(current.status().wire())), report);
    return table.update("restampOrder", Map.of("pk", s(current.id())), update, condition)
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new Conflict("order " + current.id() + " changed meanwhile; reload it and retry")
            : err))
        .map(DynamoOrderStore::order);
  }

  /** The status sequence and tracking of a report, set by the same write that applies it. */
  private static void stamp(Update update, StatusReport report) {
    update.set(STATUS_SEQUENCE + " = :status_sequence").value(":status_sequence", n(report.sequence()));
    report.tracking().ifPresent(tracking -> update.set("tracking = :tracking").value(":tracking", s(tracking)));
  }

  /** {@code condition}, and the stored status sequence (if any) below the report's. */
  private static Condition sequenceBelow(Condition condition, StatusReport report) {
    return new Condition("(" + condition.expression() + ") AND (attribute_not_exists(" + STATUS_SEQUENCE + ") OR "
        + STATUS_SEQUENCE + " < :status_sequence)", condition.names(), condition.values())
        .value(":status_sequence", n(report.sequence()));
  }

  private Future<Order> transition(Order current, OrderStatus next, Instant at, Optional<StatusReport> report) {
    Order moved = current.withStatus(next, Timestamps.millis(at));
    Update update = Outbox.appendTo(Update.create()
        .set("#status = :to, updated_at = :at, version = :version"
            + (next.releasesOrder() ? ", compensation_pending = :shard" : ""))
        .name("#status", "status")
        .value(":to", s(next.wire()))
        .value(":at", s(Timestamps.format(moved.updatedAt())))
        .value(":version", n(moved.version())), current.id(), List.of(OrderEvents.moved(moved, current.status())));
    if (next.releasesOrder()) {
      update.value(":shard", s(shard(current.id())));
    }
    report.ifPresent(stamped -> stamp(update, stamped));
    // a pending order moves only as one (an abandoned checkout's cancel, which gives back no stock); an order whose
    // stock is committed clears the marker with its move, if its checkout left it (OrderStore#transition)
    Condition read = Condition.of("#status = :from" + (current.checkoutPending()
            ? " AND attribute_exists(checkout_pending)" : ""))
        .name("#status", "status")
        .value(":from", s(current.status().wire()));
    if (!current.checkoutPending()) {
      update.remove("checkout_pending");
    }
    Condition condition = report.map(stamped -> sequenceBelow(read, stamped)).orElse(read);
    return table.update("transitionOrder", Map.of("pk", s(current.id())), update, condition)
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new Conflict("order " + current.id() + " changed meanwhile; reload it and retry")
            : err))
        .map(DynamoOrderStore::order);
  }

  @Override
  public Future<Void> compensated(String orderId) {
    return table.update("compensatedOrder", Map.of("pk", s(orderId)), Update.create().remove("compensation_pending"),
            Condition.present("customer_id"))
        .mapEmpty();
  }

  @Override
  public Future<List<Order>> owingCompensation(Instant before, int limit) {
    List<Future<QueryResponse>> shards = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      String key = "p" + shard;
      shards.add(table.query("query", QueryRequest.builder().tableName(table.name())
          .indexName(COMPENSATION_INDEX)
          .keyConditionExpression("compensation_pending = :shard AND updated_at < :before")
          .expressionAttributeValues(Map.of(":shard", s(key), ":before", s(Timestamps.format(before))))
          .limit(limit)
          .build()));
    }
    return Future.all(shards).map(done -> {
      List<Order> orders = new ArrayList<>();
      for (Future<QueryResponse> shard : shards) {
        shard.result().items().forEach(item -> orders.add(order(item)));
      }
      return orders;
    });
  }

  @Override
  public Future<OrderPage> byCustomer(String customerId, int limit, Optional<String> cursor) {
    return startKey(cursor, Set.of("pk", "customer_id", "created_at"), "customer_id", customerId)
        .compose(start -> page(QueryRequest.builder().tableName(table.name()).indexName(CUSTOMER_INDEX)
            .keyConditionExpression("customer_id = :customer")
            .expressionAttributeValues(Map.of(":customer", s(customerId)))
            .scanIndexForward(false)
            .limit(limit)
            .exclusiveStartKey(start)
            .build()));
  }

  @Override
  public Future<OrderPage> byStatus(Optional<OrderStatus> status, int limit, Optional<String> cursor) {
    if (status.isEmpty()) {
      return startKey(cursor, Set.of("pk"), "pk", null)
          .compose(start -> table.call("scan", () -> table.client().scan(scan -> scan.tableName(table.name())
              .limit(limit)
              .exclusiveStartKey(start)
              .filterExpression("attribute_exists(customer_id)"))))
          .map(response -> new OrderPage(response.items().stream().map(DynamoOrderStore::order).toList(),
              nextCursor(response.lastEvaluatedKey())));
    }
    return startKey(cursor, Set.of("pk", "status", "created_at"), "status", status.get().wire())
        .compose(start -> page(QueryRequest.builder().tableName(table.name()).indexName(STATUS_INDEX)
            .keyConditionExpression("#status = :status")
            .expressionAttributeNames(Map.of("#status", "status"))
            .expressionAttributeValues(Map.of(":status", s(status.get().wire())))
            .scanIndexForward(false)
            .limit(limit)
            .exclusiveStartKey(start)
            .build()));
  }

  private Future<OrderPage> page(QueryRequest request) {
    return table.query("query", request)
        .map(response -> new OrderPage(response.items().stream().map(DynamoOrderStore::order).toList(),
            nextCursor(response.lastEvaluatedKey())));
  }

  // ---- cursors: the last key of a page, as opaque base64url JSON of its string attributes

  private static Optional<String> nextCursor(Map<String, AttributeValue> lastKey) {
    if (lastKey == null || lastKey.isEmpty()) {
      return Optional.empty();
    }
    JsonObject json = new JsonObject();
    lastKey.forEach((name, value) -> json.put(name, value.s()));
    return Optional.of(Base64.getUrlEncoder().withoutPadding()
        .encodeToString(json.encode().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The start key a cursor names (null without a cursor), or a failed {@code Validation} when it is malformed or
   * belongs to another listing (its {@code listing} attribute is not {@code value}; a null value accepts any).
   */
  private static Future<Map<String, AttributeValue>> startKey(Optional<String> cursor, Set<String> attributes,
      String listing, String value) {
    if (cursor.isEmpty()) {
      return Future.succeededFuture(null);
    }
    try {
      Map<String, AttributeValue> start = decodeCursor(cursor.get(), attributes);
      if (value != null && !value.equals(start.get(listing).s())) {
        return Future.failedFuture(Validation.of("cursor", "the cursor does not belong to this listing"));
      }
      return Future.succeededFuture(start);
    } catch (Validation refused) {
      return Future.failedFuture(refused);
    }
  }

  private static Map<String, AttributeValue> decodeCursor(String cursor, Set<String> attributes) {
    try {
      JsonObject json = new JsonObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (!json.fieldNames().equals(attributes)) {
        throw Validation.of("cursor", "the cursor does not belong to this listing");
      }
      Map<String, AttributeValue> key = new HashMap<>();
      for (String name : attributes) {
        if (!(json.getValue(name) instanceof String value)) {
          throw Validation.of("cursor", "the cursor is malformed");
        }
        key.put(name, s(value));
      }
      return key;
    } catch (IllegalArgumentException | io.vertx.core.json.DecodeException e) {
      throw Validation.of("cursor", "the cursor is malformed");
    }
  }

  // ---- items

  static String shard(String orderId) {
    return "p" + Math.floorMod(orderId.hashCode(), SHARDS);
  }

  private static Map<String, AttributeValue> item(Order order) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(order.id()));
    item.put("customer_id", s(order.customerId()));
    item.put("status", s(order.status().wire()));
    List<AttributeValue> lines = new ArrayList<>();
    for (OrderLine line : order.lines()) {
      Map<String, AttributeValue> map = new HashMap<>();
      map.put("sku", s(line.sku()));
      map.put("name", s(line.name()));
      map.put("quantity", n(line.quantity()));
      map.put("unit_price", amount(line.unitPrice()));
      map.put("line_total", amount(line.lineTotal()));
      line.saleId().ifPresent(sale -> map.put("sale_id", s(sale)));
      lines.add(AttributeValue.fromM(map));
    }
    item.put("lines", AttributeValue.fromL(lines));
    item.put("totals", AttributeValue.fromM(Map.of(
        "items", n(order.totals().items()),
        "subtotal", amount(order.totals().subtotal()),
        "total", amount(order.totals().total()))));
    Map<String, AttributeValue> address = new HashMap<>();
    OrderJson.address(order.shippingAddress()).forEach(entry -> address.put(entry.getKey(),
        s((String) entry.getValue())));
    item.put("shipping_address", AttributeValue.fromM(address));
    item.put("checkout_id", s(order.checkoutId()));
    item.put("hold_id", s(order.holdId()));
    item.put("payment_key", s(order.paymentKey()));
    List<AttributeValue> claims = new ArrayList<>();
    for (SaleClaim claim : order.saleClaims()) {
      claims.add(AttributeValue.fromM(Map.of("sale_id", s(claim.saleId()), "quantity", n(claim.quantity()),
          "limit", n(claim.limit()))));
    }
    item.put("sale_claims", AttributeValue.fromL(claims));
    item.put("created_at", s(Timestamps.format(order.createdAt())));
    item.put("updated_at", s(Timestamps.format(order.updatedAt())));
    item.put("version", n(order.version()));
    return item;
  }

  static Order order(Map<String, AttributeValue> item) {
    List<OrderLine> lines = new ArrayList<>();
    for (AttributeValue value : item.get("lines").l()) {
      Map<String, AttributeValue> line = value.m();
      lines.add(new OrderLine(line.get("sku").s(), line.get("name").s(), Integer.parseInt(line.get("quantity").n()),
          amount(line.get("unit_price")), amount(line.get("line_total")),
          Optional.ofNullable(line.get("sale_id")).map(AttributeValue::s)));
    }
    Map<String, AttributeValue> totals = item.get("totals").m();
    JsonObject address = new JsonObject();
    item.get("shipping_address").m().forEach((name, value) -> address.put(name, value.s()));
    List<SaleClaim> claims = new ArrayList<>();
    for (AttributeValue value : item.get("sale_claims").l()) {
      Map<String, AttributeValue> claim = value.m();
      claims.add(new SaleClaim(claim.get("sale_id").s(), Integer.parseInt(claim.get("quantity").n()),
          Integer.parseInt(claim.get("limit").n())));
    }
    return new Order(item.get("pk").s(), item.get("customer_id").s(), OrderStatus.fromWire(item.get("status").s()),
        lines, new OrderTotals(Integer.parseInt(totals.get("items").n()), amount(totals.get("subtotal")),
            amount(totals.get("total"))),
        OrderJson.address(address), item.get("checkout_id").s(), item.get("hold_id").s(),
        item.get("payment_key").s(), claims, Instant.parse(item.get("created_at").s()),
        Instant.parse(item.get("updated_at").s()), item.containsKey("checkout_pending"),
        Long.parseLong(item.get("version").n()));
  }

  private static AttributeValue amount(Amount amount) {
    return AttributeValue.fromM(Map.of("amount", s(amount.text()), "currency", s(amount.currency())));
  }

  private static Amount amount(AttributeValue value) {
    return Amount.of(value.m().get("amount").s(), value.m().get("currency").s());
  }
}
