package io.webstore.payment;

import static io.webstore.platform.dynamo.Attrs.s;

import io.webstore.platform.money.Amount;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.PaymentDeclined;
import io.webstore.platform.resilience.Retries;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A provider stand-in for dev, tests and staging: the token decides ({@value #APPROVE} approves, {@value #DECLINE} and
 * anything else decline), and every outcome is recorded in the {@code payments} table, one item per idempotency key
 * ({@code pk}), written with a conditional put. That put is the charge: whatever the retries, crashes and recoveries,
 * a key has at most one item, so "no double charge" is checked by reading the table (items with {@code status =
 * authorized}). A void of a key that has no item yet writes a {@code voided} item first, which fences out an
 * authorization that arrives late. The token itself is never stored.
 */
final class SandboxPaymentGateway implements PaymentGateway {

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("payments", TableSpec.Key.string("pk"));

  /** The token that approves. */
  public static final String APPROVE = "tok_approve";
  /** The token that declines (as does any other). */
  public static final String DECLINE = "tok_decline";

  private static final String METRIC = "webstore.payment.dynamo.calls";
  private static final int VOID_ATTEMPTS = 3;

  private final DynamoTable table;
  private final Clock clock;
  /** A void whose fence lost to an authorization that landed in between is redone at once: it now voids that. */
  private final Retries voids;

  SandboxPaymentGateway(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters,
      Clock clock) {
    this.table = DynamoTable.of(vertx, dynamo, meters, METRIC, table, "pk");
    this.clock = clock;
    this.voids = Retries.named("payment.void").attempts(VOID_ATTEMPTS).noBackoff()
        .retryIf(err -> err instanceof AuthorizedMeanwhile).metered(meters).build(vertx);
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
    return table.put("authorize", item, Condition.absent("pk"))
        .map(written -> authorization(idempotencyKey, written))
        // the key has an item already: an earlier request of the same checkout, or a void that came first
        .recover(err -> err instanceof ConditionFailed failed && failed.current().isPresent()
            ? Future.succeededFuture(authorization(idempotencyKey, failed.current().get()))
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
    return voids.run(() -> voidAttempt(idempotencyKey))
        .recover(err -> Future.failedFuture(err instanceof AuthorizedMeanwhile
            ? new Conflict("payment key " + idempotencyKey + " keeps changing")
            : err));
  }

  /** An authorization landed between the void's two writes. */
  private static final class AuthorizedMeanwhile extends RuntimeException {
    AuthorizedMeanwhile() {
      super("an authorization landed while voiding", null, false, false);
    }
  }

  /** One void; fails with {@link AuthorizedMeanwhile} when an authorization landed between its two writes. */
  private Future<Authorization.Status> voidAttempt(String key) {
    String now = clock.instant().toString();
    Update voided = Update.create()
        .set("#status = :voided, updated_at = :now")
        .name("#status", "status")
        .value(":voided", s(Authorization.Status.VOIDED.wire()))
        .value(":now", s(now));
    Condition authorized = Condition.of("#status = :authorized").name("#status", "status")
        .value(":authorized", s(Authorization.Status.AUTHORIZED.wire()));
    return table.update("void", Map.of("pk", s(key)), voided, authorized)
        .map(done -> Authorization.Status.VOIDED)
        .recover(err -> {
          if (!(err instanceof ConditionFailed)) {
            return Future.failedFuture(err);
          }
          // not authorized: either nothing yet (fence it), or already declined / voided (final)
          return table.put("fenceVoid", Map.of("pk", s(key), "status", s(Authorization.Status.VOIDED.wire()),
                  "created_at", s(now), "updated_at", s(now), "fence", AttributeValue.fromBool(true)),
                  Condition.absent("pk"))
              .map(fenced -> Authorization.Status.VOIDED)
              .recover(putErr -> {
                if (!(putErr instanceof ConditionFailed failed)) {
                  return Future.failedFuture(putErr);
                }
                Authorization existing = failed.current().map(item -> authorization(key, item)).orElse(null);
                if (existing != null && existing.status() == Authorization.Status.AUTHORIZED) {
                  return Future.failedFuture(new AuthorizedMeanwhile()); // the next attempt voids it
                }
                return Future.succeededFuture(existing == null ? Authorization.Status.VOIDED : existing.status());
              });
        });
  }

  private static Authorization authorization(String key, Map<String, AttributeValue> item) {
    Authorization.Status status = Authorization.Status.fromWire(item.get("status").s());
    Amount amount = item.containsKey("amount") ? Amount.of(item.get("amount").s(), item.get("currency").s()) : null;
    return new Authorization(key, status, amount,
        item.containsKey("authorization_id") ? item.get("authorization_id").s() : "",
        Instant.parse(item.get("updated_at").s()));
  }
}
