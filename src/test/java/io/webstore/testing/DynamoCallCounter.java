package io.webstore.testing;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;

/**
 * Counts DynamoDB calls at the SDK, whoever makes them: registered for every SDK client of the test JVM through
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}. One call is one API operation of the
 * application (before the SDK's retries), on any table, scans and batches included. Inert unless a {@link Recording}
 * is open, so it costs one volatile read per call. All tests of the JVM share it: a recording keeps only the calls
 * its filter accepts (for example tables of a prefix that only the test's own stores use).
 */
public final class DynamoCallCounter implements ExecutionInterceptor {

  private static final List<Recording> recordings = new CopyOnWriteArrayList<>();
  private static volatile boolean recording;

  /** One DynamoDB call: its operation and the tables it names. */
  public record Call(String operation, Set<String> tables) {
    @Override
    public String toString() {
      return operation + tables;
    }
  }

  /** Starts recording the calls that {@code filter} accepts, until {@link Recording#close}. */
  public static synchronized Recording record(Predicate<Call> filter) {
    Recording started = new Recording(filter);
    recordings.add(started);
    recording = true;
    return started;
  }

  /** Calls on tables whose name starts with {@code prefix}. */
  public static Recording onTablesStartingWith(String prefix) {
    return record(call -> call.tables().stream().anyMatch(table -> table.startsWith(prefix)));
  }

  /** A table prefix no other store of the JVM uses: {@code tag}, 12 random hex digits and a dash. */
  public static String uniquePrefix(String tag) {
    return tag + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "-";
  }

  /**
   * The config of a store whose DynamoDB calls are all a request's: tables of {@code prefix}, and its periodic work
   * (catalog snapshot, checkout recovery, order compensations, hold sweeper) pushed out of a test's time.
   */
  public static JsonObject quietStore(String prefix) {
    return new JsonObject()
        .put("dynamo", new JsonObject().put("tablePrefix", prefix))
        .put("catalog", new JsonObject().put("snapshotRefreshSeconds", 86_400))
        .put("checkout", new JsonObject().put("recoveryEnabled", false))
        .put("orders", new JsonObject().put("compensationIntervalMs", 3_600_000))
        .put("inventory", new JsonObject().put("sweepIntervalMs", 60_000));
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (!recording) {
      return;
    }
    if (!(context.request() instanceof DynamoDbRequest)) {
      return;
    }
    Call call = new Call(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), tables(context.request()));
    for (Recording open : recordings) {
      open.offer(call);
    }
  }

  private static Set<String> tables(SdkRequest request) {
    Set<String> tables = new TreeSet<>();
    request.getValueForField("TableName", String.class).ifPresent(tables::add);
    request.getValueForField("RequestItems", Map.class).ifPresent(items -> items.keySet()
        .forEach(table -> tables.add(Objects.toString(table))));
    request.getValueForField("TransactItems", List.class).ifPresent(items -> tables.add("<transaction>"));
    return tables;
  }

  /** The calls seen since {@link #record}, as accepted by its filter. */
  public static final class Recording implements AutoCloseable {
    private final Predicate<Call> filter;
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    private Recording(Predicate<Call> filter) {
      this.filter = filter;
    }

    private void offer(Call call) {
      if (filter.test(call)) {
        calls.add(call);
      }
    }

    public List<Call> calls() {
      return new ArrayList<>(calls);
    }

    public int count() {
      return calls.size();
    }

    @Override
    public void close() {
      synchronized (DynamoCallCounter.class) {
        recordings.remove(this);
        recording = !recordings.isEmpty();
      }
    }
  }
}
