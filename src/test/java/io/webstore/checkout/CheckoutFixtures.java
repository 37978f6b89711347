package io.webstore.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Products, stock, customers, carts and checkouts for the checkout and order tests, all through the HTTP API; plus
 * read-only looks into the payments and idempotency tables, which are the proof of "one charge per key".
 */
public final class CheckoutFixtures {

  public static final String CHECKOUT = "/api/v1/checkout";

  private final Api api;
  private final String admin;

  public CheckoutFixtures(Api api) {
    this.api = api;
    this.admin = api.tokenFor("admin-" + UUID.randomUUID(), "admin@webstore.local", List.of("admin"));
  }

  public String admin() {
    return admin;
  }

  public static String uniqueSku(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
  }

  public static String key() {
    return "key-" + UUID.randomUUID();
  }

  /** A product at {@code amount} USD with {@code onHand} units; its SKU. */
  public String product(String prefix, String amount, int onHand) {
    String sku = uniqueSku(prefix);
    HttpResponse<Buffer> created = api.call(HttpMethod.PUT, "/api/v1/admin/products/" + sku, admin, new JsonObject()
        .put("name", "Item " + sku)
        .put("description", "A product for checkout tests")
        .put("price", new JsonObject().put("amount", amount).put("currency", "USD"))
        .put("category", "checkout-tests"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    stock(sku, onHand);
    return sku;
  }

  /** Sets the stock; while the live ledger is being rebuilt (an earlier test flushed Redis) it waits for it. */
  public void stock(String sku, int onHand) {
    HttpResponse<Buffer> stocked = Deadline.until("the stock ledger to take the stock", Duration.ofSeconds(60),
        () -> {
          HttpResponse<Buffer> answer = api.call(HttpMethod.PUT, "/api/v1/admin/inventory/" + sku, admin,
              new JsonObject().put("on_hand", onHand));
          return answer.statusCode() == 503 ? null : answer;
        });
    assertThat(stocked.statusCode()).as(stocked.bodyAsString()).isEqualTo(200);
  }

  /** A flash sale of {@code sku} at {@code amount} USD, running from a minute ago for an hour; its id. */
  public String sale(String sku, String amount, int perCustomerLimit) {
    String id = "sale-" + UUID.randomUUID().toString().substring(0, 8);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<Buffer> created = api.call(HttpMethod.PUT, "/api/v1/admin/sales/" + id, admin, new JsonObject()
        .put("sku", sku)
        .put("price", new JsonObject().put("amount", amount).put("currency", "USD"))
        .put("starts_at", now.minus(1, ChronoUnit.MINUTES).toString())
        .put("ends_at", now.plus(1, ChronoUnit.HOURS).toString())
        .put("per_customer_limit", perCustomerLimit));
    assertThat(created.statusCode()).as(created.bodyAsString()).isIn(200, 201);
    return id;
  }

  /** {@code on_hand} (DynamoDB), {@code held} and {@code available} (live ledger) of a SKU. */
  public JsonObject inventory(String sku) {
    HttpResponse<Buffer> level = api.get("/api/v1/admin/inventory/" + sku, admin);
    assertThat(level.statusCode()).as(level.bodyAsString()).isEqualTo(200);
    return level.bodyAsJsonObject();
  }

  /** Like {@link #inventory}, or null while the live ledger cannot answer (503, e.g. being rebuilt). */
  public JsonObject inventoryIfReady(String sku) {
    HttpResponse<Buffer> level = api.get("/api/v1/admin/inventory/" + sku, admin);
    if (level.statusCode() == 503) {
      return null;
    }
    assertThat(level.statusCode()).as(level.bodyAsString()).isEqualTo(200);
    return level.bodyAsJsonObject();
  }

  /** A customer with a token minted by the store's dev issuer (for tests about many buyers, not about login). */
  public Customer mintedCustomer() {
    String id = "cust-" + UUID.randomUUID();
    return new Customer(id, api.tokenFor(id, id + "@example.com", List.of()));
  }

  /** A customer who signed up and logged in through /api/v1/auth. */
  public Customer signedUpCustomer() {
    String email = "buyer-" + UUID.randomUUID() + "@example.com";
    String password = "Checkout-password-1";
    HttpResponse<Buffer> signUp = api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
        new JsonObject().put("email", email).put("password", password));
    assertThat(signUp.statusCode()).as(signUp.bodyAsString()).isEqualTo(201);
    HttpResponse<Buffer> login = api.call(HttpMethod.POST, "/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", password));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    return new Customer(signUp.bodyAsJsonObject().getString("id"),
        login.bodyAsJsonObject().getString("access_token"));
  }

  /**
   * {@code count} customers who each signed up and logged in through /api/v1/auth, {@code inFlight} at a time (the
   * test store hashes passwords at a low Argon2 cost, see {@code Engines}).
   */
  public List<Customer> signedUpCustomers(int count, int inFlight) {
    String password = "Checkout-password-1";
    List<String> emails = java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> "buyer-" + UUID.randomUUID() + "@example.com").toList();
    List<Timed> signUps = timed(count, inFlight, i -> api.send(HttpMethod.POST, "/api/v1/auth/signup", null,
        new JsonObject().put("email", emails.get(i)).put("password", password)));
    List<Timed> logins = timed(count, inFlight, i -> api.send(HttpMethod.POST, "/api/v1/auth/login", null,
        new JsonObject().put("email", emails.get(i)).put("password", password)));
    List<Customer> customers = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<Buffer> signUp = signUps.get(i).response();
      HttpResponse<Buffer> login = logins.get(i).response();
      assertThat(signUp.statusCode()).as(signUp.bodyAsString()).isEqualTo(201);
      assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
      customers.add(new Customer(signUp.bodyAsJsonObject().getString("id"),
          login.bodyAsJsonObject().getString("access_token")));
    }
    return customers;
  }

  /** A buyer: customer id and bearer token. */
  public record Customer(String id, String token) {}

  public void addToCart(Customer customer, String sku, int quantity) {
    HttpResponse<Buffer> added = Engines.await(addToCart(api.client(), customer, sku, quantity));
    assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(200);
  }

  public Future<HttpResponse<Buffer>> addToCart(WebClient client, Customer customer, String sku, int quantity) {
    return client.post(api.port(), "localhost", "/api/v1/cart/items").bearerTokenAuthentication(customer.token())
        .sendJsonObject(new JsonObject().put("sku", sku).put("quantity", quantity));
  }

  public static JsonObject address() {
    return new JsonObject().put("name", "Ada Buyer").put("line1", "1 Test Street").put("city", "Berlin")
        .put("postal_code", "10115").put("country", "DE");
  }

  public static JsonObject body(String token) {
    return new JsonObject().put("shipping_address", address()).put("payment_token", token);
  }

  public HttpResponse<Buffer> checkout(Customer customer, String key, JsonObject body) {
    return Engines.await(checkout(api.client(), api.port(), customer, key, body));
  }

  public static Future<HttpResponse<Buffer>> checkout(WebClient client, int port, Customer customer, String key,
      JsonObject body) {
    var request = client.post(port, "localhost", CHECKOUT).bearerTokenAuthentication(customer.token());
    if (key != null) {
      request.putHeader("Idempotency-Key", key);
    }
    return request.sendJsonObject(body);
  }

  /** Every item of the payments table whose metadata names one of {@code customerIds}. */
  public List<Map<String, AttributeValue>> payments(Collection<String> customerIds) {
    Set<String> wanted = Set.copyOf(customerIds);
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      ScanResponse page = Engines.await(Future.fromCompletionStage(dynamo().scan(ScanRequest.builder()
          .tableName(table("payments")).exclusiveStartKey(start).build())));
      for (Map<String, AttributeValue> item : page.items()) {
        AttributeValue meta = item.get("metadata");
        if (meta != null && meta.hasM() && meta.m().containsKey("customer_id")
            && wanted.contains(meta.m().get("customer_id").s())) {
          found.add(item);
        }
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return found;
  }

  /** The payment item of one checkout, or an empty map. */
  public Map<String, AttributeValue> payment(String customerId, String key) {
    return item("payments", CheckoutIds.of(customerId, key).paymentKey());
  }

  /** The idempotency item of one checkout, or an empty map. */
  public Map<String, AttributeValue> idempotency(String customerId, String key) {
    return item("idempotency", CheckoutIds.of(customerId, key).recordId());
  }

  /** The sale counter of one customer in one sale, or an empty map. */
  public Map<String, AttributeValue> saleCounter(String saleId, String customerId) {
    return item("sale_counters", saleId + "#" + customerId);
  }

  /** The raw item of an order (with its outbox), or an empty map. */
  public Map<String, AttributeValue> orderItem(String orderId) {
    return item("orders", orderId);
  }

  private Map<String, AttributeValue> item(String table, String pk) {
    var response = Engines.await(Future.fromCompletionStage(dynamo().getItem(get -> get.tableName(table(table))
        .consistentRead(true).key(Map.of("pk", AttributeValue.fromS(pk))))));
    return response.hasItem() ? new HashMap<>(response.item()) : Map.of();
  }

  /** Every order item of the given customers, read through the orders table's customer index. */
  public List<Map<String, AttributeValue>> ordersOf(Collection<String> customerIds) {
    List<Future<QueryResponse>> queries = customerIds.stream().map(customerId -> Future.fromCompletionStage(
        dynamo().query(QueryRequest.builder().tableName(table("orders")).indexName("customer-index")
            .keyConditionExpression("customer_id = :customer")
            .expressionAttributeValues(Map.of(":customer", AttributeValue.fromS(customerId))).build()))).toList();
    Engines.await(Future.join(queries), Duration.ofMinutes(2));
    List<Map<String, AttributeValue>> orders = new ArrayList<>();
    for (Future<QueryResponse> query : queries) {
      assertThat(query.result().hasLastEvaluatedKey() && !query.result().lastEvaluatedKey().isEmpty())
          .as("one page per customer").isFalse();
      orders.addAll(query.result().items());
    }
    return orders;
  }

  /** The items of {@code table} (logical name) whose key attribute {@code keyName} is one of {@code keys}. */
  public List<Map<String, AttributeValue>> items(String table, String keyName, Collection<String> keys) {
    String name = table(table);
    List<String> all = List.copyOf(keys);
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    for (int from = 0; from < all.size(); from += 100) {
      List<Map<String, AttributeValue>> wanted = all.subList(from, Math.min(all.size(), from + 100)).stream()
          .map(key -> Map.of(keyName, AttributeValue.fromS(key))).toList();
      Map<String, KeysAndAttributes> request = Map.of(name, KeysAndAttributes.builder().keys(wanted)
          .consistentRead(true).build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> asked = request;
        BatchGetItemResponse page = Engines.await(Future.fromCompletionStage(dynamo().batchGetItem(get -> get
            .requestItems(asked))));
        found.addAll(page.responses().getOrDefault(name, List.of()));
        request = page.hasUnprocessedKeys() ? page.unprocessedKeys() : Map.of();
      }
    }
    return found;
  }

  private DynamoDbAsyncClient dynamo() {
    return api.store().services().aws().dynamo();
  }

  private String table(String name) {
    return api.store().services().config().dynamo().table(name);
  }

  /** Outcome of one timed request of {@link #timed}. */
  public record Timed(HttpResponse<Buffer> response, long nanos) {}

  /**
   * Runs {@code count} requests with at most {@code inFlight} at a time (the connections of the pool), timing each
   * from its own start, so the time is the server's answer time under that load, not a wait for a free connection.
   */
  public static List<Timed> timed(int count, int inFlight, IntFunction<Future<HttpResponse<Buffer>>> request) {
    Timed[] results = new Timed[count];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    Runnable[] worker = new Runnable[1];
    worker[0] = () -> {
      int index = next.getAndIncrement();
      if (index >= count) {
        return;
      }
      long start = System.nanoTime();
      request.apply(index).onComplete(result -> {
        if (result.failed()) {
          all.tryFail(result.cause());
          return;
        }
        results[index] = new Timed(result.result(), System.nanoTime() - start);
        if (done.incrementAndGet() == count) {
          all.tryComplete();
        } else {
          worker[0].run();
        }
      });
    };
    for (int i = 0; i < Math.min(inFlight, count); i++) {
      worker[0].run();
    }
    Engines.await(all.future(), Duration.ofMinutes(3));
    return List.of(results);
  }

  /** The {@code q} quantile (0..1) of the times, in milliseconds. */
  public static double percentileMillis(List<Timed> timed, double q) {
    long[] sorted = timed.stream().mapToLong(Timed::nanos).sorted().toArray();
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1_000_000.0;
  }
}
