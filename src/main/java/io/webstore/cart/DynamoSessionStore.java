package io.webstore.cart;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.error.Conflict;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Guest sessions in the {@code sessions} table (key {@code sid}): {@code created_at} (ISO-8601) and {@code expires_at}
 * (epoch seconds: the table's TTL attribute in AWS, and checked on every read since TTL deletion lags and dynalite has
 * none).
 */
public final class DynamoSessionStore implements SessionStore {

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("sessions", TableSpec.Key.string("sid"));

  private final Vertx vertx;
  private final DynamoDbAsyncClient dynamo;
  private final String table;
  private final MeterRegistry meters;

  public DynamoSessionStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.vertx = vertx;
    this.dynamo = dynamo;
    this.table = table;
    this.meters = meters;
  }

  @Override
  public Future<Optional<Session>> find(String sid) {
    return AwsFutures.timed(vertx, meters, DynamoCartStore.METRIC, "getSession",
            () -> dynamo.getItem(get -> get.tableName(table).key(Map.of("sid", AttributeValue.fromS(sid)))
                .consistentRead(true))) // a session made on another instance a moment ago must be found
        .map(response -> response.hasItem() && !response.item().isEmpty()
            ? Optional.of(new Session(sid, Instant.parse(response.item().get("created_at").s()),
                Instant.ofEpochSecond(Long.parseLong(response.item().get("expires_at").n()))))
            : Optional.empty());
  }

  @Override
  public Future<Session> create(Session session) {
    return AwsFutures.timed(vertx, meters, DynamoCartStore.METRIC, "putSession",
            () -> dynamo.putItem(put -> put.tableName(table)
                .item(Map.of(
                    "sid", AttributeValue.fromS(session.sid()),
                    "created_at", AttributeValue.fromS(session.createdAt().toString()),
                    "expires_at", AttributeValue.fromN(Long.toString(session.expiresAt().getEpochSecond()))))
                .conditionExpression("attribute_not_exists(sid)")))
        .map(done -> session)
        .recover(err -> Future.failedFuture(err instanceof ConditionalCheckFailedException
            ? new Conflict("session id taken") // 128 random bits: practically never; the caller draws again
            : err));
  }
}
