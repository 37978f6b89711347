package io.webstore.orders;

import static io.webstore.platform.dynamo.Attrs.n;
import static io.webstore.platform.dynamo.Attrs.s;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Attrs;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Landed;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.resilience.Retries;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Sale counters in the {@code sale_counters} table, one item per {@code <sale id>#<customer id>}: {@code units}
 * bought, {@code claims} (the checkouts whose units are counted) and {@code released} (checkouts given back). A take
 * is one conditional {@code ADD} bounded by the limit and by "this checkout has neither taken nor given back"; a
 * give-back subtracts only what its checkout took, and otherwise records the checkout as given back, which fences out
 * its take should that arrive late. The item belongs to one customer, so it is never hot.
 */
final class DynamoSaleLimits implements SaleLimits {

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("sale_counters", TableSpec.Key.string("pk"));

  private static final String METRIC = "webstore.orders.dynamo.calls";
  private static final int RELEASE_ATTEMPTS = 3;

  private final DynamoTable table;
  /** A give-back whose fence lost to a take that landed in between is redone at once: it now finds the take. */
  private final Retries releases;

  DynamoSaleLimits(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.table = DynamoTable.of(vertx, dynamo, meters, METRIC, table, "pk");
    this.releases = Retries.named("orders.releaseSaleLimit").attempts(RELEASE_ATTEMPTS).noBackoff()
        .retryIf(err -> err instanceof ConditionFailed).metered(meters).build(vertx);
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
    Update take = Update.create()
        .add("units :quantity, claims :ids")
        .set("sale_id = :sale, customer_id = :customer")
        .value(":quantity", n(claim.quantity()))
        .value(":ids", Attrs.ss(List.of(claimId)))
        .value(":sale", s(claim.saleId()))
        .value(":customer", s(customerId));
    Condition withinLimit = Condition.of("(attribute_not_exists(units) OR units <= :most) "
            + "AND NOT contains(claims, :id) AND NOT contains(released, :id)")
        .value(":id", s(claimId))
        .value(":most", n(claim.limit() - claim.quantity()));
    // idempotent by construction: the checkout's id in claims is the take, whichever attempt wrote it
    return table.update("claimSaleLimit", key(claim.saleId(), customerId), take, withinLimit,
            Landed.whenItem(item -> Attrs.setContains(item, "claims", claimId)))
        .<Void>mapEmpty()
        .recover(err -> {
          if (!(err instanceof ConditionFailed failed)) {
            return Future.failedFuture(err);
          }
          boolean released = failed.current().filter(item -> Attrs.setContains(item, "released", claimId))
              .isPresent();
          return Future.failedFuture(released
              ? new Conflict("checkout " + claimId + " was rolled back")
              : exceeded(claim));
        });
  }

  @Override
  public Future<Void> release(String customerId, String claimId, List<SaleClaim> claims) {
    Future<Void> chain = Future.succeededFuture();
    for (SaleClaim claim : claims) {
      chain = chain.compose(previous -> releases.run(() -> releaseOne(key(claim.saleId(), customerId), claimId,
          claim)));
    }
    return chain;
  }

  /** One give-back; fails with {@link ConditionFailed} only when the take landed between its two writes. */
  private Future<Void> releaseOne(Map<String, AttributeValue> key, String claimId, SaleClaim claim) {
    Landed givenBack = Landed.whenItem(item -> Attrs.setContains(item, "released", claimId)
        && !Attrs.setContains(item, "claims", claimId));
    Update giveBack = Update.create()
        .add("units :minus, released :ids")
        .delete("claims :ids")
        .value(":minus", n(-claim.quantity()))
        .value(":ids", Attrs.ss(List.of(claimId)));
    return table.update("releaseSaleLimit", key, giveBack,
            Condition.of("contains(claims, :id)").value(":id", s(claimId)), givenBack)
        .<Void>mapEmpty()
        .recover(err -> {
          if (!(err instanceof ConditionFailed)) {
            return Future.failedFuture(err);
          }
          // nothing taken (yet): remember the give-back so that a late take fails
          return table.update("fenceSaleLimit", key,
                  Update.create().add("released :ids").value(":ids", Attrs.ss(List.of(claimId))),
                  Condition.of("NOT contains(claims, :id)").value(":id", s(claimId)), givenBack)
              .<Void>mapEmpty(); // failed: the take landed in between, so the next attempt gives it back
        });
  }

  private static Conflict exceeded(SaleClaim claim) {
    return new Conflict("sale " + claim.saleId() + " allows at most " + claim.limit() + " units per customer",
        new JsonObject().put("sale_id", claim.saleId()).put("limit", claim.limit()));
  }

  private static Map<String, AttributeValue> key(String saleId, String customerId) {
    return Map.of("pk", s(saleId + "#" + customerId));
  }
}
