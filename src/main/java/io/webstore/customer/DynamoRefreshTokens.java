package io.webstore.customer;

import static io.webstore.platform.dynamo.Attrs.s;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Attrs;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Unauthorized;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Refresh tokens in one DynamoDB table ({@code refresh_tokens}, key {@code pk}): {@code token#<sha-256>} items (the
 * grant, {@code expires_at}, and {@code used_at} once used) and {@code family#<id>} items that mark a revoked family.
 * A token is used up by one conditional update ({@code used_at} absent), so of concurrent uses exactly one wins; the
 * update is retry-safe by its write id. Expiry is checked when read (the dev engine has no TTL).
 */
final class DynamoRefreshTokens implements RefreshTokens {

  /** The table: logical name, prefixed by config. */
  static final TableSpec TABLE = TableSpec.of("refresh_tokens", TableSpec.Key.string("pk"));

  private static final Logger log = LoggerFactory.getLogger(DynamoRefreshTokens.class);
  private static final String METRIC = "webstore.customer.dynamo.calls";
  private static final String TOKEN = "token#";
  private static final String FAMILY = "family#";
  private static final String INVALID = "the refresh token is invalid, expired or revoked";

  private final DynamoTable table;

  DynamoRefreshTokens(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.table = DynamoTable.of(vertx, dynamo, meters, METRIC, table, "pk");
  }

  @Override
  public Future<Void> issue(String tokenHash, Grant grant) {
    return table.put("putRefreshToken", Map.of(
            "pk", s(TOKEN + tokenHash),
            "customer_id", s(grant.customerId()),
            "email", s(grant.email().value()),
            "family", s(grant.familyId()),
            "expires_at", s(grant.expiresAt().toString())), Condition.absent("pk"))
        .mapEmpty();
  }

  @Override
  public Future<Grant> consume(String tokenHash, Instant now) {
    Update use = Update.create().set("used_at = :now").value(":now", s(now.toString()));
    return table.update("useRefreshToken", Map.of("pk", s(TOKEN + tokenHash)), use,
            Condition.of("attribute_exists(pk) AND attribute_not_exists(used_at)"))
        .recover(err -> {
          if (!(err instanceof ConditionFailed failed)) {
            return Future.failedFuture(err);
          }
          Optional<Map<String, AttributeValue>> reused = failed.current();
          if (reused.isEmpty()) {
            return Future.failedFuture(new Unauthorized(INVALID));
          }
          String family = reused.get().get("family").s();
          log.warn("customer.refresh_token.reused family={} revoking=family", family);
          return revokeFamily(family).transform(revoked -> Future.failedFuture(new Unauthorized(INVALID)));
        })
        .map(DynamoRefreshTokens::grant)
        .compose(grant -> {
          if (!grant.expiresAt().isAfter(now)) {
            return Future.failedFuture(new Unauthorized(INVALID));
          }
          return table.get("getRefreshFamily", Map.of("pk", s(FAMILY + grant.familyId())))
              .compose(family -> family.isPresent()
                  ? Future.<Grant>failedFuture(new Unauthorized(INVALID))
                  : Future.succeededFuture(grant));
        });
  }

  @Override
  public Future<Void> revokeFamily(String familyId) {
    // unconditional: revoking twice is revoking once
    return table.call("revokeRefreshFamily", () -> table.client().putItem(put -> put.tableName(table.name())
            .item(Map.of("pk", s(FAMILY + familyId), "revoked", Attrs.bool(true)))))
        .mapEmpty();
  }

  private static Grant grant(Map<String, AttributeValue> item) {
    return new Grant(item.get("customer_id").s(), new EmailAddress(item.get("email").s()), item.get("family").s(),
        Instant.parse(item.get("expires_at").s()));
  }
}
