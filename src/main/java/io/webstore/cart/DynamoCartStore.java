package io.webstore.cart;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.error.Conflict;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Carts in the {@code carts} table, one item per owner (key {@code owner}): {@code lines} (a list of {@code {sku,
 * quantity}} maps, in line order), {@code version}, {@code updated_at}, for guests {@code expires_at} (epoch seconds,
 * the table's TTL attribute in AWS), {@code last_merge}, and while a checkout runs on it {@code checkout} ({@code
 * {record_id, order_id, version}}, the claim) and after one completed {@code last_checkout} ({@code {order_id,
 * version}}), and {@code recent_adds} (the add keys it remembers, oldest first). A cart is one item so that a change is one conditional
 * put on the version that was read: two writers cannot both win, so concurrent adds never lose a line.
 */
final class DynamoCartStore implements CartStore {

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("carts", TableSpec.Key.string("owner"));

  static final String METRIC = "webstore.cart.dynamo.calls";

  private final DynamoTable table;
  private final Clock clock;

  DynamoCartStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters, Clock clock) {
    this.table = DynamoTable.of(vertx, dynamo, meters, METRIC, table, "owner");
    this.clock = clock;
  }

  @Override
  public Future<Cart> find(String owner) {
    // consistent: a customer sees their own change at once, on any instance
    return table.get("getCart", Map.of("owner", AttributeValue.fromS(owner)))
        .map(item -> item.map(found -> fromItem(owner, found)).orElseGet(() -> Cart.empty(owner)));
  }

  @Override
  public Future<Cart> save(Cart cart, Optional<Instant> expiresAt) {
    long next = cart.version() + 1;
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("owner", AttributeValue.fromS(cart.owner()));
    item.put("lines", AttributeValue.fromL(cart.lines().stream()
        .map(line -> AttributeValue.fromM(Map.of(
            "sku", AttributeValue.fromS(line.sku()),
            "quantity", AttributeValue.fromN(Integer.toString(line.quantity())))))
        .toList()));
    item.put("version", AttributeValue.fromN(Long.toString(next)));
    item.put("updated_at", AttributeValue.fromS(clock.instant().toString()));
    expiresAt.ifPresent(at -> item.put("expires_at", AttributeValue.fromN(Long.toString(at.getEpochSecond()))));
    cart.lastMerge().ifPresent(marker -> item.put("last_merge", AttributeValue.fromS(marker)));
    if (!cart.recentAdds().isEmpty()) {
      item.put("recent_adds", AttributeValue.fromL(cart.recentAdds().stream().map(AttributeValue::fromS).toList()));
    }
    cart.checkout().ifPresent(claim -> item.put("checkout", AttributeValue.fromM(Map.of(
        "record_id", AttributeValue.fromS(claim.recordId()),
        "order_id", AttributeValue.fromS(claim.orderId()),
        "version", AttributeValue.fromN(Long.toString(claim.version()))))));
    cart.lastCheckout().ifPresent(last -> item.put("last_checkout", AttributeValue.fromM(Map.of(
        "order_id", AttributeValue.fromS(last.orderId()),
        "version", AttributeValue.fromN(Long.toString(last.version()))))));
    // the claim needs no condition of its own: every write of the item moves the version, so a claim or a release
    // since the read fails this one like any other change
    Condition condition = cart.version() == 0
        ? Condition.absent("owner")
        : Condition.of("#version = :read").name("#version", "version")
            .value(":read", AttributeValue.fromN(Long.toString(cart.version())));
    return table.put("putCart", item, condition)
        .map(done -> cart.savedAs(next))
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new Conflict("the cart changed meanwhile; reload it and retry")
            : err));
  }

  private static Cart fromItem(String owner, Map<String, AttributeValue> item) {
    List<CartLine> lines = item.getOrDefault("lines", AttributeValue.fromL(List.of())).l().stream()
        .map(value -> new CartLine(value.m().get("sku").s(), Integer.parseInt(value.m().get("quantity").n())))
        .toList();
    return new Cart(owner, lines, Long.parseLong(item.get("version").n()),
        Optional.ofNullable(item.get("last_merge")).map(AttributeValue::s),
        Optional.ofNullable(item.get("checkout")).map(AttributeValue::m).map(claim -> new CartClaim(
            claim.get("record_id").s(), claim.get("order_id").s(), Long.parseLong(claim.get("version").n()))),
        Optional.ofNullable(item.get("last_checkout")).map(AttributeValue::m).map(last -> new Cart.LastCheckout(
            last.get("order_id").s(), Long.parseLong(last.get("version").n()))),
        item.getOrDefault("recent_adds", AttributeValue.fromL(List.of())).l().stream().map(AttributeValue::s).toList());
  }
}
