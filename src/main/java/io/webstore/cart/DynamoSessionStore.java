package io.webstore.cart;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.error.Conflict;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Guest sessions in the {@code sessions} table (key {@code sid}): {@code created_at} (ISO-8601) and {@code expires_at}
 * (epoch seconds: the table's TTL attribute in AWS, and checked on every read since TTL deletion lags and dynalite has
 * none).
 */
final class DynamoSessionStore implements SessionStore {

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("sessions", TableSpec.Key.string("sid"));

  private final DynamoTable table;

  DynamoSessionStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.table = DynamoTable.of(vertx, dynamo, meters, DynamoCartStore.METRIC, table, "sid");
  }

  @Override
  public Future<Optional<Session>> find(String sid) {
    // consistent: a session made on another instance a moment ago must be found
    return table.get("getSession", Map.of("sid", AttributeValue.fromS(sid)))
        .map(found -> found.map(item -> new Session(sid, Instant.parse(item.get("created_at").s()),
            Instant.ofEpochSecond(Long.parseLong(item.get("expires_at").n())))));
  }

  @Override
  public Future<Session> create(Session session) {
    return table.put("putSession", Map.of(
                "sid", AttributeValue.fromS(session.sid()),
                "created_at", AttributeValue.fromS(session.createdAt().toString()),
                "expires_at", AttributeValue.fromN(Long.toString(session.expiresAt().getEpochSecond()))),
            Condition.absent("sid"))
        .map(done -> session)
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new Conflict("session id taken") // 128 random bits: practically never; the caller draws again
            : err));
  }
}
