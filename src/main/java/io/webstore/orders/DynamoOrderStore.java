package io.webstore.orders;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.money.Amount;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Orders in the {@code orders} table, key {@code pk} = order id. The item carries the order, its {@code outbox} (a
 * list of pending events, each {@code {id, type, occurred_at, payload}}) and these sparse markers, each present only
 * while true and each the key of a sparse index so a scan finds exactly the items that need work:
 *
 * <ul>
 *   <li>{@code outbox_pending} (shard) → {@value #OUTBOX_INDEX}, for the relay to SQS of a later issue;
 *   <li>{@code compensation_pending} (shard) → {@value #COMPENSATION_INDEX}: a released order whose stock, payment or
 *       sale allowance has not all been given back yet;
 *   <li>{@code checkout_pending}: the checkout has not committed the order's stock yet (no index).
 * </ul>
 *
 * <p>{@value #CUSTOMER_INDEX} ({@code customer_id}, {@code created_at}) lists a customer's orders and {@value
 * #STATUS_INDEX} ({@code status}, {@code created_at}) the orders in a status. An aborted order id is an item with only
 * {@code pk}, {@code aborted} and {@code created_at}: it is in no index and reads as absent.
 *
 * <p>Markers are sharded over {@value #SHARDS} values so that no single index partition takes every write of a flash
 * sale. {@code status} is not: at very high order rates the status index would need the same treatment.
 */
public final class DynamoOrderStore implements OrderStore {

  static final String CUSTOMER_INDEX = "customer-index";
  static final String STATUS_INDEX = "status-index";
  static final String OUTBOX_INDEX = "outbox-index";
  static final String COMPENSATION_INDEX = "compensation-index";
  static final int SHARDS = 8;

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("orders", TableSpec.Key.string("pk"))
      .withIndex(CUSTOMER_INDEX, TableSpec.Key.string("customer_id"), TableSpec.Key.string("created_at"))
      .withIndex(STATUS_INDEX, TableSpec.Key.string("status"), TableSpec.Key.string("created_at"))
      .withIndex(OUTBOX_INDEX, TableSpec.Key.string("outbox_pending"), TableSpec.Key.string("created_at"))
      .withIndex(COMPENSATION_INDEX, TableSpec.Key.string("compensation_pending"), TableSpec.Key.string("updated_at"));

  private static final String METRIC = "webstore.orders.dynamo.calls";

  private final Vertx vertx;
  private final DynamoDbAsyncClient dynamo;
  private final String table;
  private final MeterRegistry meters;

  public DynamoOrderStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.vertx = vertx;
    this.dynamo = dynamo;
    this.table = table;
    this.meters = meters;
  }

  @Override
  public Future<Order> place(Order order) {
    Map<String, AttributeValue> item = item(order);
    item.put("checkout_pending", s("1"));
    item.put("outbox", AttributeValue.fromL(List.of(event(order, "events.order.placed",
        OrderJson.view(order).put("customer_id", order.customerId())))));
    item.put("outbox_pending", s(shard(order.id())));
    return call("putItem", () -> dynamo.putItem(put -> put.tableName(table).item(item)
            .conditionExpression("attribute_not_exists(pk)")))
        .map(written -> order)
        // taken: our own earlier write (a retried call), an abort that came first, or a clash
        .recover(err -> err instanceof ConditionalCheckFailedException
            ? read(order.id()).map(existing -> {
              if (existing.isPresent() && order.checkoutId().equals(existing.get().checkoutId())) {
                return existing.get();
              }
              throw new Conflict("order " + order.id() + " was aborted or belongs to another checkout");
            })
            : Future.failedFuture(err));
  }

  @Override
  public Future<Optional<Order>> abort(String orderId) {
    return call("putItem", () -> dynamo.putItem(put -> put.tableName(table)
            .item(Map.of("pk", s(orderId), "aborted", AttributeValue.fromBool(true),
                "created_at", s(Timestamps.format(Instant.now()))))
            .conditionExpression("attribute_not_exists(pk)")))
        .map(fenced -> Optional.<Order>empty())
        .recover(err -> err instanceof ConditionalCheckFailedException
            ? read(orderId)
            : Future.failedFuture(err));
  }

  @Override
  public Future<Order> find(String orderId) {
    return read(orderId).map(found -> found.orElseThrow(() -> new NotFound("order", orderId)));
  }

  /** The order, empty when absent or aborted. */
  private Future<Optional<Order>> read(String orderId) {
    return call("getItem", () -> dynamo.getItem(get -> get.tableName(table).consistentRead(true)
            .key(Map.of("pk", s(orderId)))))
        .map(response -> response.hasItem() && !response.item().isEmpty() && !response.item().containsKey("aborted")
            ? Optional.of(order(response.item()))
            : Optional.empty());
  }

  @Override
  public Future<Order> confirm(String orderId) {
    return call("updateItem", () -> dynamo.updateItem(update -> update.tableName(table)
            .key(Map.of("pk", s(orderId)))
            .updateExpression("REMOVE checkout_pending")
            .conditionExpression("attribute_exists(customer_id)")
            .returnValues(ReturnValue.ALL_NEW)))
        .recover(err -> Future.failedFuture(err instanceof ConditionalCheckFailedException
            ? new NotFound("order", orderId) : err))
        .map(response -> order(response.attributes()));
  }

  @Override
  public Future<Order> transition(Order current, OrderStatus next, Instant at) {
    Order moved = current.withStatus(next, Timestamps.millis(at));
    String type = next == OrderStatus.CANCELLED ? "events.order.cancelled" : "events.order.status_changed";
    JsonObject payload = new JsonObject().put("order_id", current.id()).put("customer_id", current.customerId())
        .put("from", current.status().wire()).put("to", next.wire())
        .put("at", Timestamps.format(moved.updatedAt()));
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":to", s(next.wire()));
    values.put(":from", s(current.status().wire()));
    values.put(":at", s(Timestamps.format(moved.updatedAt())));
    values.put(":version", n(moved.version()));
    values.put(":events", AttributeValue.fromL(List.of(event(moved, type, payload))));
    values.put(":none", AttributeValue.fromL(List.of()));
    values.put(":shard", s(shard(current.id())));
    String update = "SET #status = :to, updated_at = :at, version = :version, "
        + "outbox = list_append(if_not_exists(outbox, :none), :events), outbox_pending = :shard"
        + (next.releasesOrder() ? ", compensation_pending = :shard" : "");
    String checkout = current.checkoutPending() ? "attribute_exists(checkout_pending)"
        : "attribute_not_exists(checkout_pending)";
    return call("updateItem", () -> dynamo.updateItem(request -> request.tableName(table)
            .key(Map.of("pk", s(current.id())))
            .updateExpression(update)
            .conditionExpression("#status = :from AND " + checkout)
            .expressionAttributeNames(Map.of("#status", "status"))
            .expressionAttributeValues(values)
            .returnValues(ReturnValue.ALL_NEW)))
        .recover(err -> Future.failedFuture(err instanceof ConditionalCheckFailedException
            ? new Conflict("order " + current.id() + " changed meanwhile; reload it and retry")
            : err))
        .map(response -> order(response.attributes()));
  }

  @Override
  public Future<Void> compensated(String orderId) {
    return call("updateItem", () -> dynamo.updateItem(update -> update.tableName(table)
            .key(Map.of("pk", s(orderId)))
            .updateExpression("REMOVE compensation_pending")
            .conditionExpression("attribute_exists(customer_id)")))
        .mapEmpty();
  }

  @Override
  public Future<List<Order>> owingCompensation(Instant before, int limit) {
    List<Future<QueryResponse>> shards = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      String key = "p" + shard;
      shards.add(call("query", () -> dynamo.query(QueryRequest.builder().tableName(table)
          .indexName(COMPENSATION_INDEX)
          .keyConditionExpression("compensation_pending = :shard AND updated_at < :before")
          .expressionAttributeValues(Map.of(":shard", s(key), ":before", s(Timestamps.format(before))))
          .limit(limit)
          .build())));
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
    Map<String, AttributeValue> start = cursor.map(text -> decodeCursor(text,
        Set.of("pk", "customer_id", "created_at"))).orElse(null);
    if (start != null && !customerId.equals(start.get("customer_id").s())) {
      throw Validation.of("cursor", "the cursor does not belong to this listing");
    }
    return page(QueryRequest.builder().tableName(table).indexName(CUSTOMER_INDEX)
        .keyConditionExpression("customer_id = :customer")
        .expressionAttributeValues(Map.of(":customer", s(customerId)))
        .scanIndexForward(false)
        .limit(limit)
        .exclusiveStartKey(start)
        .build());
  }

  @Override
  public Future<OrderPage> byStatus(Optional<OrderStatus> status, int limit, Optional<String> cursor) {
    if (status.isEmpty()) {
      Map<String, AttributeValue> start = cursor.map(text -> decodeCursor(text, Set.of("pk"))).orElse(null);
      return call("scan", () -> dynamo.scan(scan -> scan.tableName(table).limit(limit).exclusiveStartKey(start)
              .filterExpression("attribute_exists(customer_id)")))
          .map(response -> new OrderPage(response.items().stream().map(DynamoOrderStore::order).toList(),
              nextCursor(response.lastEvaluatedKey())));
    }
    Map<String, AttributeValue> start = cursor.map(text -> decodeCursor(text,
        Set.of("pk", "status", "created_at"))).orElse(null);
    if (start != null && !status.get().wire().equals(start.get("status").s())) {
      throw Validation.of("cursor", "the cursor does not belong to this listing");
    }
    return page(QueryRequest.builder().tableName(table).indexName(STATUS_INDEX)
        .keyConditionExpression("#status = :status")
        .expressionAttributeNames(Map.of("#status", "status"))
        .expressionAttributeValues(Map.of(":status", s(status.get().wire())))
        .scanIndexForward(false)
        .limit(limit)
        .exclusiveStartKey(start)
        .build());
  }

  private Future<OrderPage> page(QueryRequest request) {
    return call("query", () -> dynamo.query(request))
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

  private static AttributeValue event(Order order, String type, JsonObject payload) {
    return AttributeValue.fromM(Map.of(
        "id", s(order.id() + ":" + order.version()),
        "type", s(type),
        "occurred_at", s(Timestamps.format(order.updatedAt())),
        "payload", s(payload.encode())));
  }

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

  private <T> Future<T> call(String operation, Supplier<CompletableFuture<T>> request) {
    return AwsFutures.timed(vertx, meters, METRIC, operation, () -> request.get());
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
