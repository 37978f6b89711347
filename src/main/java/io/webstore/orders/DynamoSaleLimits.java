package io.webstore.orders;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.error.Conflict;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Sale counters in the {@code sale_counters} table, one item per {@code <sale id>#<customer id>}: {@code units}
 * bought, {@code claims} (the checkouts whose units are counted) and {@code released} (checkouts given back). A take
 * is one conditional {@code ADD} bounded by the limit and by "this checkout has neither taken nor given back"; a
 * give-back subtracts only what its checkout took, and otherwise records the checkout as given back, which fences out
 * its take should that arrive late. The item belongs to one customer, so it is never hot.
 */
public final class DynamoSaleLimits implements SaleLimits {

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("sale_counters", TableSpec.Key.string("pk"));

  private static final String METRIC = "webstore.orders.dynamo.calls";
  private static final int RELEASE_ATTEMPTS = 3;

  private final Vertx vertx;
  private final DynamoDbAsyncClient dynamo;
  private final String table;
  private final MeterRegistry meters;

  public DynamoSaleLimits(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.vertx = vertx;
    this.dynamo = dynamo;
    this.table = table;
    this.meters = meters;
  }

  @Override
  public Future<Void> claim(String customerId, String claimId, List<SaleClaim> claims) {
    Future<Void> chain = Future.succeededFuture();
    for (SaleClaim claim : claims) {
      chain = chain.compose(previous -> claimOne(customerId, claimId, claim));
    }
    return chain;
  }

  private Future<Void> claimOne(String customerId, String claimId, SaleClaim claim) {
    if (claim.quantity() > claim.limit()) {
      return Future.failedFuture(exceeded(claim));
    }
    Map<String, AttributeValue> key = key(claim.saleId(), customerId);
    return call("updateItem", () -> dynamo.updateItem(update -> update.tableName(table)
            .key(key)
            .updateExpression("ADD units :quantity, claims :ids SET sale_id = :sale, customer_id = :customer")
            .conditionExpression("(attribute_not_exists(units) OR units <= :most) "
                + "AND NOT contains(claims, :id) AND NOT contains(released, :id)")
            .expressionAttributeValues(Map.of(
                ":quantity", n(claim.quantity()),
                ":ids", AttributeValue.fromSs(List.of(claimId)),
                ":id", s(claimId),
                ":sale", s(claim.saleId()),
                ":customer", s(customerId),
                ":most", n(claim.limit() - claim.quantity())))))
        .<Void>mapEmpty()
        .recover(err -> {
          if (!(err instanceof ConditionalCheckFailedException)) {
            return Future.failedFuture(err);
          }
          return read(key).compose(item -> {
            if (contains(item, "claims", claimId)) {
              return Future.succeededFuture(); // our own take, applied by an earlier attempt
            }
            if (contains(item, "released", claimId)) {
              return Future.failedFuture(new Conflict("checkout " + claimId + " was rolled back"));
            }
            return Future.failedFuture(exceeded(claim));
          });
        });
  }

  @Override
  public Future<Void> release(String customerId, String claimId, List<SaleClaim> claims) {
    Future<Void> chain = Future.succeededFuture();
    for (SaleClaim claim : claims) {
      chain = chain.compose(previous -> releaseOne(key(claim.saleId(), customerId), claimId, claim, 1));
    }
    return chain;
  }

  private Future<Void> releaseOne(Map<String, AttributeValue> key, String claimId, SaleClaim claim, int attempt) {
    return call("updateItem", () -> dynamo.updateItem(update -> update.tableName(table)
            .key(key)
            .updateExpression("ADD units :minus, released :ids DELETE claims :ids")
            .conditionExpression("contains(claims, :id)")
            .expressionAttributeValues(Map.of(
                ":minus", n(-claim.quantity()),
                ":ids", AttributeValue.fromSs(List.of(claimId)),
                ":id", s(claimId)))))
        .<Void>mapEmpty()
        .recover(err -> {
          if (!(err instanceof ConditionalCheckFailedException)) {
            return Future.failedFuture(err);
          }
          // nothing taken (yet): remember the give-back so that a late take fails
          return call("updateItem", () -> dynamo.updateItem(update -> update.tableName(table)
                  .key(key)
                  .updateExpression("ADD released :ids")
                  .conditionExpression("NOT contains(claims, :id)")
                  .expressionAttributeValues(Map.of(
                      ":ids", AttributeValue.fromSs(List.of(claimId)),
                      ":id", s(claimId)))))
              .<Void>mapEmpty()
              .recover(again -> again instanceof ConditionalCheckFailedException && attempt < RELEASE_ATTEMPTS
                  ? releaseOne(key, claimId, claim, attempt + 1) // the take landed in between: give it back
                  : Future.failedFuture(again));
        });
  }

  private static Conflict exceeded(SaleClaim claim) {
    return new Conflict("sale " + claim.saleId() + " allows at most " + claim.limit() + " units per customer",
        new JsonObject().put("sale_id", claim.saleId()).put("limit", claim.limit()));
  }

  private Future<Map<String, AttributeValue>> read(Map<String, AttributeValue> key) {
    return call("getItem", () -> dynamo.getItem(get -> get.tableName(table).consistentRead(true).key(key)))
        .map(response -> response.hasItem() ? response.item() : Map.of());
  }

  private static boolean contains(Map<String, AttributeValue> item, String set, String id) {
    AttributeValue value = item.get(set);
    return value != null && value.hasSs() && value.ss().contains(id);
  }

  private static Map<String, AttributeValue> key(String saleId, String customerId) {
    return Map.of("pk", s(saleId + "#" + customerId));
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
