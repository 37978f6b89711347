package io.webstore.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;

/**
 * Throttles a table's batch calls the way DynamoDB does under a hot partition: a {@code BatchWriteItem} or {@code
 * BatchGetItem} call succeeds (HTTP 200) but hands every item or key of the armed table back as unprocessed, so the
 * caller must try them again and, in the end, give up. The dev engine never throttles; this makes it do so,
 * deterministically.
 *
 * <p>Registered for every SDK client of the test JVM through the SDK's global interceptor file; inert until a test
 * {@linkplain #arm arms} it. An arm throttles every batch call of its table until it is closed.
 */
public final class ThrottledBatches implements ExecutionInterceptor {

  private static final Queue<Arm> ARMED = new ConcurrentLinkedQueue<>();

  /** Throttles the batch calls of one table while open. */
  public static final class Arm implements AutoCloseable {
    private final String table;
    private final AtomicInteger fired = new AtomicInteger();

    private Arm(String table) {
      this.table = table;
    }

    /** How many batch calls this arm has throttled. */
    public int fired() {
      return fired.get();
    }

    @Override
    public void close() {
      ARMED.remove(this);
    }
  }

  /** Throttles every batch call of {@code table} (its full name) until the arm is closed. */
  public static Arm arm(String table) {
    Arm arm = new Arm(table);
    ARMED.add(arm);
    return arm;
  }

  @Override
  public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
    SdkResponse response = context.response();
    if (ARMED.isEmpty()) {
      return response;
    }
    for (Arm arm : ARMED) {
      if (context.request() instanceof BatchWriteItemRequest write && response instanceof BatchWriteItemResponse
          && write.requestItems().containsKey(arm.table)) {
        arm.fired.incrementAndGet();
        return BatchWriteItemResponse.builder()
            .unprocessedItems(Map.of(arm.table, write.requestItems().get(arm.table))).build();
      }
      if (context.request() instanceof BatchGetItemRequest get && response instanceof BatchGetItemResponse read
          && get.requestItems().containsKey(arm.table)) {
        arm.fired.incrementAndGet();
        var found = new HashMap<>(read.responses());
        found.remove(arm.table);
        return read.toBuilder().responses(found)
            .unprocessedKeys(Map.of(arm.table, get.requestItems().get(arm.table))).build();
      }
    }
    return response;
  }
}
