package io.webstore.platform.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.error.Kind;
import io.webstore.platform.error.Unavailable;
import io.webstore.testing.ContractTables;
import io.webstore.testing.Engines;
import io.webstore.testing.ThrottledBatches;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A batch whose items the engine keeps handing back unprocessed (throttling) is tried a bounded number of times and
 * then fails with {@link Unavailable} (a caller's retry later, a client's 503 with {@code Retry-After}), never with an
 * internal error; once the throttling passes, the same batch goes through.
 */
@WebstoreTest
class ThrottledBatchTest {

  private static DynamoTable table;

  @BeforeAll
  static void provision() {
    Services services = ContractTables.services();
    String name = Engines.await(ContractTables.provision(TableSpec.of("throttle-probe", TableSpec.Key.string("pk"))));
    table = DynamoTable.of(services.vertx(), services.aws().dynamo(), services.meters(), "webstore.test.dynamo.calls",
        name, "pk");
  }

  @Test
  void aBatchWriteStillThrottledAfterItsAttemptsIsUnavailableAndGoesThroughOnceThrottlingPasses() {
    List<Map<String, AttributeValue>> items = items(30); // two batches: 25 and 5
    try (ThrottledBatches.Arm throttled = ThrottledBatches.arm(table.name())) {
      Throwable failure = Engines.awaitFailure(table.batchPut(items, 2), Duration.ofSeconds(30));
      assertUnavailable(failure);
      assertThat(throttled.fired()).as("every attempt of both batches was throttled").isGreaterThanOrEqualTo(12);
    }
    Engines.await(table.batchPut(items, 2));
    assertThat(Engines.await(table.batchGet("probe", keys(items), 1))).hasSize(items.size());
  }

  @Test
  void aBatchReadStillThrottledAfterItsAttemptsIsUnavailable() {
    List<Map<String, AttributeValue>> items = items(3);
    Engines.await(table.batchPut(items, 1));
    try (ThrottledBatches.Arm throttled = ThrottledBatches.arm(table.name())) {
      Throwable failure = Engines.awaitFailure(table.batchGet("probe", keys(items), 1), Duration.ofSeconds(30));
      assertUnavailable(failure);
      assertThat(throttled.fired()).isGreaterThanOrEqualTo(6);
    }
    assertThat(Engines.await(table.batchGet("probe", keys(items), 1))).hasSize(items.size());
  }

  private static void assertUnavailable(Throwable failure) {
    assertThat(failure).isInstanceOfSatisfying(Unavailable.class, unavailable -> {
      assertThat(unavailable.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(unavailable.detail()).contains("retry shortly").doesNotContain(table.name());
    });
  }

  private static List<Map<String, AttributeValue>> items(int count) {
    String run = UUID.randomUUID().toString();
    return IntStream.range(0, count).mapToObj(i -> Map.of(
        "pk", AttributeValue.fromS(run + "-" + i), "n", AttributeValue.fromN(Integer.toString(i)))).toList();
  }

  private static List<Map<String, AttributeValue>> keys(List<Map<String, AttributeValue>> items) {
    return items.stream().map(item -> Map.of("pk", item.get("pk"))).toList();
  }
}
