package io.webstore.payment;

import io.webstore.platform.money.Amount;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.PaymentDeclined;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A provider stand-in for dev, tests and staging: the token decides ({@value #APPROVE} approves, {@value #DECLINE} and
 * anything else decline), and every outcome is recorded in the {@code payments} table, one item per idempotency key
 * ({@code pk}), written with a conditional put. That put is the charge: whatever the retries, crashes and recoveries,
 * a key has at most one item, so "no double charge" is checked by reading the table (items with {@code status =
 * authorized}). A void of a key that has no item yet writes a {@code voided} item first, which fences out an
 * authorization that arrives late. The token itself is never stored.
 */
public final class SandboxPaymentGateway implements PaymentGateway {

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("payments", TableSpec.Key.string("pk"));

  /** The token that approves. */
  public static final String APPROVE = "tok_approve";
  /** The token that declines (as does any other). */
  public static final String DECLINE = "tok_decline";

  private static final String METRIC = "webstore.payment.dynamo.calls";
  private static final int VOID_ATTEMPTS = 3;

  private final Vertx vertx;
  private final DynamoDbAsyncClient dynamo;
  private final String table;
  private final MeterRegistry meters;
  private final Clock clock;

  public SandboxPaymentGateway(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters,
      Clock clock) {
    this.vertx = vertx;
    this.dynamo = dynamo;
    this.table = table;
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public Future<Authorization> authorize(String idempotencyKey, Amount amount, String token,
      Map<String, String> metadata) {
    Instant now = clock.instant();
    Authorization.Status decision = APPROVE.equals(token)
        ? Authorization.Status.AUTHORIZED : Authorization.Status.DECLINED;
    Authorization outcome = new Authorization(idempotencyKey, decision, amount,
        decision == Authorization.Status.AUTHORIZED ? "sbx_" + UUID.randomUUID() : "", now);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(idempotencyKey));
    item.put("status", s(decision.wire()));
    item.put("amount", s(amount.text()));
    item.put("currency", s(amount.currency()));
    item.put("authorization_id", s(outcome.authorizationId()));
    item.put("created_at", s(now.toString()));
    item.put("updated_at", s(now.toString()));
    Map<String, AttributeValue> meta = new HashMap<>();
    metadata.forEach((name, value) -> meta.put(name, s(value)));
    item.put("metadata", AttributeValue.fromM(meta));
    return call("putItem", () -> dynamo.putItem(put -> put.tableName(table).item(item)
            .conditionExpression("attribute_not_exists(pk)")))
        .map(written -> outcome)
        // the key has an item already: a retry (possibly of a put whose reply was lost), or a void that came first
        .recover(err -> err instanceof ConditionalCheckFailedException
            ? find(idempotencyKey).map(existing -> existing == null ? outcome : existing)
            : Future.failedFuture(err))
        .map(recorded -> switch (recorded.status()) {
          case DECLINED -> throw new PaymentDeclined("the payment was declined");
          case VOIDED -> throw new Conflict("payment key " + idempotencyKey + " was voided; it cannot be charged");
          case AUTHORIZED -> {
            if (!recorded.amount().equals(amount)) {
              throw new Conflict("payment key " + idempotencyKey + " was authorized for another amount");
            }
            yield recorded;
          }
        });
  }

  @Override
  public Future<Authorization.Status> voidAuthorization(String idempotencyKey) {
    return voidAttempt(idempotencyKey, 1);
  }

  private Future<Authorization.Status> voidAttempt(String key, int attempt) {
    String now = clock.instant().toString();
    return call("updateItem", () -> dynamo.updateItem(update -> update.tableName(table)
            .key(Map.of("pk", s(key)))
            .updateExpression("SET #status = :voided, updated_at = :now")
            .conditionExpression("#status = :authorized")
            .expressionAttributeNames(Map.of("#status", "status"))
            .expressionAttributeValues(Map.of(":voided", s(Authorization.Status.VOIDED.wire()),
                ":authorized", s(Authorization.Status.AUTHORIZED.wire()), ":now", s(now)))))
        .map(voided -> Authorization.Status.VOIDED)
        .recover(err -> {
          if (!(err instanceof ConditionalCheckFailedException)) {
            return Future.failedFuture(err);
          }
          // not authorized: either nothing yet (fence it), or already declined / voided (final)
          return call("putItem", () -> dynamo.putItem(put -> put.tableName(table)
                  .item(Map.of("pk", s(key), "status", s(Authorization.Status.VOIDED.wire()),
                      "created_at", s(now), "updated_at", s(now), "fence", AttributeValue.fromBool(true)))
                  .conditionExpression("attribute_not_exists(pk)")))
              .map(fenced -> Authorization.Status.VOIDED)
              .recover(putErr -> {
                if (!(putErr instanceof ConditionalCheckFailedException)) {
                  return Future.failedFuture(putErr);
                }
                return find(key).compose(existing -> {
                  if (existing != null && existing.status() == Authorization.Status.AUTHORIZED
                      && attempt < VOID_ATTEMPTS) {
                    return voidAttempt(key, attempt + 1); // an authorization landed in between: void it
                  }
                  if (existing != null && existing.status() == Authorization.Status.AUTHORIZED) {
                    return Future.failedFuture(new Conflict("payment key " + key + " keeps changing"));
                  }
                  return Future.succeededFuture(existing == null ? Authorization.Status.VOIDED : existing.status());
                });
              });
        });
  }

  /** The recorded state of a key, or null. */
  Future<Authorization> find(String key) {
    return call("getItem", () -> dynamo.getItem(get -> get.tableName(table).consistentRead(true)
            .key(Map.of("pk", s(key)))))
        .map(response -> {
          if (!response.hasItem() || response.item().isEmpty()) {
            return null;
          }
          Map<String, AttributeValue> item = response.item();
          Authorization.Status status = Authorization.Status.fromWire(item.get("status").s());
          Amount amount = item.containsKey("amount")
              ? Amount.of(item.get("amount").s(), item.get("currency").s()) : null;
          return new Authorization(key, status, amount,
              item.containsKey("authorization_id") ? item.get("authorization_id").s() : "",
              Instant.parse(item.get("updated_at").s()));
        });
  }

  private <T> Future<T> call(String operation, Supplier<CompletableFuture<T>> request) {
    return AwsFutures.timed(vertx, meters, METRIC, operation, () -> request.get());
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
