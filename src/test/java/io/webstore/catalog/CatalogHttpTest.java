package io.webstore.catalog;

import static io.webstore.catalog.CatalogFixtures.adminToken;
import static io.webstore.catalog.CatalogFixtures.assertProblem;
import static io.webstore.catalog.CatalogFixtures.created;
import static io.webstore.catalog.CatalogFixtures.customerToken;
import static io.webstore.catalog.CatalogFixtures.getProduct;
import static io.webstore.catalog.CatalogFixtures.productBody;
import static io.webstore.catalog.CatalogFixtures.putProduct;
import static io.webstore.catalog.CatalogFixtures.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.inventory.InventoryClient;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog through HTTP on the shared store (real inventory feature, real engines). */
@WebstoreTest
class CatalogHttpTest {

  @Shared static Api api;
  static String admin;
  static InventoryClient inventory;

  @BeforeAll
  static void start() {
    admin = adminToken(api);
    inventory = new InventoryClient(api.store().vertx(), Duration.ofSeconds(5));
  }

  @Test
  void adminCreatesReplacesAndDeletesAProduct() {
    String sku = uniqueSku("CRUD");
    HttpResponse<Buffer> create = created(api, admin, sku, productBody("Teapot", "19.9", "kitchen"));
    assertThat(create.getHeader("Location")).isEqualTo("/api/v1/products/" + sku);
    JsonObject stored = create.bodyAsJsonObject();
    assertThat(stored.getString("sku")).isEqualTo(sku);
    assertThat(stored.getJsonObject("price")).isEqualTo(new JsonObject().put("amount", "19.90").put("currency", "USD"));
    assertThat(stored.getString("updated_at")).isNotBlank();

    HttpResponse<Buffer> replace = putProduct(api, admin, sku, productBody("Big Teapot", "24.00", "kitchen"));
    assertThat(replace.statusCode()).as(replace.bodyAsString()).isEqualTo(200);
    assertThat(replace.getHeader("Location")).isNull();
    HttpResponse<Buffer> read = getProduct(api, sku);
    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getString("name")).isEqualTo("Big Teapot");
    assertThat(read.bodyAsJsonObject().getJsonObject("price").getString("amount")).isEqualTo("24.00");

    HttpResponse<Buffer> delete = api.call(HttpMethod.DELETE, "/api/v1/admin/products/" + sku, admin, null);
    assertThat(delete.statusCode()).isEqualTo(204);
    assertProblem(getProduct(api, sku), 404);
    assertProblem(api.call(HttpMethod.DELETE, "/api/v1/admin/products/" + sku, admin, null), 404);
  }

  @Test
  void customersAndAnonymousCallersCannotChangeTheCatalog() {
    String sku = uniqueSku("SEC");
    JsonObject body = productBody("Kettle", "30.00", "kitchen");
    assertProblem(putProduct(api, customerToken(api), sku, body), 403);
    assertProblem(putProduct(api, null, sku, body), 401);
    assertProblem(getProduct(api, sku), 404);

    created(api, admin, sku, body);
    assertProblem(api.call(HttpMethod.DELETE, "/api/v1/admin/products/" + sku, customerToken(api), null), 403);
    assertProblem(api.call(HttpMethod.PUT, "/api/v1/admin/sales/" + uniqueSku("sale"), customerToken(api),
        saleBody(sku, "10.00", Instant.now(), Instant.now().plus(1, ChronoUnit.HOURS))), 403);
    assertThat(getProduct(api, sku).statusCode()).isEqualTo(200);
  }

  @Test
  void productDocumentHasExactPricesAttributesImagesAndAvailability() {
    String sku = uniqueSku("SHAPE");
    created(api, admin, sku, productBody("Lamp", "1234567.5", "lighting"));
    Engines.await(inventory.set(sku, 7));

    HttpResponse<Buffer> response = getProduct(api, sku);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsString()).contains("\"amount\":\"1234567.50\""); // a string, never a float
    JsonObject product = response.bodyAsJsonObject();
    assertThat(product.fieldNames()).containsExactlyInAnyOrder("sku", "name", "description", "price", "category",
        "attributes", "images", "available", "sale");
    assertThat(product.getString("sku")).isEqualTo(sku);
    assertThat(product.getString("category")).isEqualTo("lighting");
    assertThat(product.getJsonObject("price"))
        .isEqualTo(new JsonObject().put("amount", "1234567.50").put("currency", "USD"));
    assertThat(product.getJsonObject("attributes"))
        .isEqualTo(new JsonObject().put("brand", "Acme").put("weight_g", 250).put("organic", true));
    assertThat(product.getJsonArray("images")).containsExactly("https://images.webstore.local/products/x/1.jpg");
    assertThat(product.getInteger("available")).isEqualTo(7);
    assertThat(product.containsKey("sale")).isTrue();
    assertThat(product.getValue("sale")).isNull();
  }

  @Test
  void availabilityIsFreshRightAfterAStockChangeOnThisInstance() {
    String sku = uniqueSku("AVAIL");
    created(api, admin, sku, productBody("Mug", "8.00", "kitchen"));
    Engines.await(inventory.set(sku, 5));
    assertThat(getProduct(api, sku).bodyAsJsonObject().getInteger("available")).isEqualTo(5);

    Engines.await(inventory.set(sku, 3)); // no wait: the change event evicts the cached figure
    assertThat(getProduct(api, sku).bodyAsJsonObject().getInteger("available")).isEqualTo(3);
    Engines.await(inventory.set(sku, 0));
    assertThat(getProduct(api, sku).bodyAsJsonObject().getInteger("available")).isEqualTo(0);
  }

  @Test
  void etagGivesNotModifiedUntilTheProductChanges() {
    String sku = uniqueSku("ETAG");
    created(api, admin, sku, productBody("Vase", "12.00", "decor"));
    HttpResponse<Buffer> first = getProduct(api, sku);
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("\"").endsWith("\"");
    assertThat(first.getHeader("Cache-Control")).isEqualTo("public, no-cache");

    HttpResponse<Buffer> notModified = Engines.await(api.request(HttpMethod.GET, "/api/v1/products/" + sku, null)
        .putHeader("If-None-Match", etag).send());
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body() == null || notModified.body().length() == 0).isTrue();
    assertThat(notModified.getHeader("ETag")).isEqualTo(etag);
    HttpResponse<Buffer> otherTag = Engines.await(api.request(HttpMethod.GET, "/api/v1/products/" + sku, null)
        .putHeader("If-None-Match", "\"something-else\"").send());
    assertThat(otherTag.statusCode()).isEqualTo(200);

    putProduct(api, admin, sku, productBody("Vase", "13.00", "decor"));
    HttpResponse<Buffer> changed = Engines.await(api.request(HttpMethod.GET, "/api/v1/products/" + sku, null)
        .putHeader("If-None-Match", etag).send());
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag);
    assertThat(changed.bodyAsJsonObject().getJsonObject("price").getString("amount")).isEqualTo("13.00");
  }

  @Test
  void aProductsTagAndDocumentFollowItsAvailabilityBackAndForth() {
    String sku = uniqueSku("AVL");
    created(api, admin, sku, productBody("Jug", "8.00", "kitchen"));
    Engines.await(inventory.set(sku, 3)); // each change event evicts the cached figure
    HttpResponse<Buffer> three = getProduct(api, sku);
    HttpResponse<Buffer> threeAgain = getProduct(api, sku);
    assertThat(three.bodyAsJsonObject().getInteger("available")).isEqualTo(3);
    assertThat(threeAgain.getHeader("ETag")).isEqualTo(three.getHeader("ETag"));
    assertThat(threeAgain.bodyAsString()).isEqualTo(three.bodyAsString());

    Engines.await(inventory.set(sku, 5));
    HttpResponse<Buffer> five = Engines.await(api.request(HttpMethod.GET, "/api/v1/products/" + sku, null)
        .putHeader("If-None-Match", three.getHeader("ETag")).send());
    assertThat(five.statusCode()).isEqualTo(200);
    assertThat(five.bodyAsJsonObject().getInteger("available")).isEqualTo(5);
    assertThat(five.getHeader("ETag")).isNotEqualTo(three.getHeader("ETag"));
    HttpResponse<Buffer> fiveUnchanged = Engines.await(api.request(HttpMethod.GET, "/api/v1/products/" + sku, null)
        .putHeader("If-None-Match", five.getHeader("ETag")).send());
    assertThat(fiveUnchanged.statusCode()).isEqualTo(304);
    assertThat(fiveUnchanged.getHeader("ETag")).isEqualTo(five.getHeader("ETag"));

    Engines.await(inventory.set(sku, 3));
    HttpResponse<Buffer> back = Engines.await(api.request(HttpMethod.GET, "/api/v1/products/" + sku, null)
        .putHeader("If-None-Match", five.getHeader("ETag")).send());
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(back.getHeader("ETag")).isEqualTo(three.getHeader("ETag"));
    assertThat(back.bodyAsString()).isEqualTo(three.bodyAsString());
  }

  @Test
  void productReadsOverHttpAskNoCatalogVerticleWhileOtherCallersStillDo() {
    String sku = uniqueSku("LOOP");
    created(api, admin, sku, productBody("Ladle", "6.00", "kitchen"));
    EventBus bus = api.store().vertx().eventBus();
    AtomicInteger asked = new AtomicInteger();
    Handler<DeliveryContext<Object>> counter = delivery -> {
      if (CatalogClient.GET.equals(delivery.message().address())
          && delivery.body() instanceof JsonObject request && sku.equals(request.getString("sku"))) {
        asked.incrementAndGet();
      }
      delivery.next();
    };
    bus.addOutboundInterceptor(counter);
    try {
      for (int i = 0; i < 5; i++) {
        HttpResponse<Buffer> read = getProduct(api, sku);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.bodyAsJsonObject().getString("name")).isEqualTo("Ladle");
      }
      assertThat(asked).as("catalog.get requests for the HTTP reads").hasValue(0);
      ProductDocument viaBus = Engines.await(new CatalogClient(api.store().vertx()).get(sku));
      assertThat(viaBus.json().getString("name")).isEqualTo("Ladle");
      assertThat(viaBus.etag()).isEqualTo(getProduct(api, sku).getHeader("ETag"));
      assertThat(asked).as("catalog.get requests of a client off the HTTP loops").hasValue(1);
    } finally {
      bus.removeOutboundInterceptor(counter);
    }
  }

  @Test
  void listingPagesFiltersByCategoryAndSearchesNameAndDescription() {
    String category = "t" + UUID.randomUUID().toString().substring(0, 8);
    String token = "zq" + UUID.randomUUID().toString().substring(0, 6);
    List<String> skus = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String sku = String.format("LIST-%s-%02d", category, i);
      skus.add(sku);
      JsonObject body = productBody("Item " + i, "5.00", category);
      if (i % 5 == 0) {
        body.put("name", "Item " + i + " " + token.toUpperCase()); // search is case-insensitive
      } else if (i % 7 == 0) {
        body.put("description", "described with " + token);
      }
      created(api, admin, sku, body);
    }

    JsonObject page1 = api.get("/api/v1/products?category=" + category + "&size=10", null).bodyAsJsonObject();
    assertThat(page1.getInteger("total")).isEqualTo(25);
    assertThat(page1.getInteger("total_pages")).isEqualTo(3);
    assertThat(page1.getInteger("page")).isEqualTo(1);
    assertThat(page1.getInteger("size")).isEqualTo(10);
    assertThat(skusOf(page1)).containsExactlyElementsOf(skus.subList(0, 10));
    assertThat(page1.getJsonArray("items").getJsonObject(0).getJsonObject("price").getString("amount"))
        .isEqualTo("5.00");
    JsonObject page3 = api.get("/api/v1/products?category=" + category + "&size=10&page=3", null).bodyAsJsonObject();
    assertThat(skusOf(page3)).containsExactlyElementsOf(skus.subList(20, 25));
    JsonObject beyond = api.get("/api/v1/products?category=" + category + "&size=10&page=9", null).bodyAsJsonObject();
    assertThat(beyond.getJsonArray("items")).isEmpty();
    assertThat(beyond.getInteger("total")).isEqualTo(25);
    JsonObject defaults = api.get("/api/v1/products?category=" + category, null).bodyAsJsonObject();
    assertThat(defaults.getInteger("size")).isEqualTo(20);
    assertThat(defaults.getJsonArray("items")).hasSize(20);

    JsonObject found = api.get("/api/v1/products?q=" + token, null).bodyAsJsonObject();
    assertThat(skusOf(found)).containsExactly(skus.get(0), skus.get(5), skus.get(7), skus.get(10), skus.get(14),
        skus.get(15), skus.get(20), skus.get(21));
    JsonObject foundInCategory = api.get("/api/v1/products?category=" + category + "&q=" + token.toUpperCase()
        + "&size=3&page=2", null).bodyAsJsonObject();
    assertThat(foundInCategory.getInteger("total")).isEqualTo(8);
    assertThat(skusOf(foundInCategory)).containsExactly(skus.get(10), skus.get(14), skus.get(15));
    assertThat(api.get("/api/v1/products?category=none-" + category, null).bodyAsJsonObject().getInteger("total"))
        .isZero();

    JsonArray categories = api.get("/api/v1/categories", null).bodyAsJsonObject().getJsonArray("items");
    assertThat(categories.stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals(category)).findFirst().orElseThrow().getInteger("product_count"))
        .isEqualTo(25);
  }

  @Test
  void listingRejectsBadPaging() {
    assertProblem(api.get("/api/v1/products?size=101", null), 400);
    assertProblem(api.get("/api/v1/products?size=0", null), 400);
    assertProblem(api.get("/api/v1/products?page=0", null), 400);
    assertProblem(api.get("/api/v1/products?page=two", null), 400);
    assertThat(api.get("/api/v1/products?size=100", null).statusCode()).isEqualTo(200);
  }

  @Test
  void adminChangesAreVisibleAtOnceOnThisInstanceInDocumentsListingsAndPrices() {
    String category = "t" + UUID.randomUUID().toString().substring(0, 8);
    String sku = uniqueSku("INV");
    created(api, admin, sku, productBody("Old name", "10.00", category));
    assertThat(getProduct(api, sku).bodyAsJsonObject().getString("name")).isEqualTo("Old name"); // now cached
    CatalogClient client = new CatalogClient(api.store().vertx());
    assertThat(Engines.await(client.prices(List.of(sku))).get(sku).name()).isEqualTo("Old name");

    putProduct(api, admin, sku, productBody("New name", "11.00", category));
    JsonObject read = getProduct(api, sku).bodyAsJsonObject();
    assertThat(read.getString("name")).isEqualTo("New name");
    assertThat(read.getJsonObject("price").getString("amount")).isEqualTo("11.00");
    JsonObject listed = api.get("/api/v1/products?category=" + category, null).bodyAsJsonObject();
    assertThat(listed.getJsonArray("items").getJsonObject(0).getString("name")).isEqualTo("New name");
    assertThat(Engines.await(client.prices(List.of(sku))).get(sku).unitPrice().text()).isEqualTo("11.00");

    api.call(HttpMethod.DELETE, "/api/v1/admin/products/" + sku, admin, null);
    assertProblem(getProduct(api, sku), 404);
    assertThat(api.get("/api/v1/products?category=" + category, null).bodyAsJsonObject().getInteger("total"))
        .isZero();
    assertThat(Engines.await(client.prices(List.of(sku)))).isEmpty();
  }

  @Test
  void readsOfAHotProductDoNotReachDynamoDb() {
    String sku = uniqueSku("HOT");
    created(api, admin, sku, productBody("Hot item", "99.99", "hot"));
    long before = dynamoReads();
    for (int wave = 0; wave < 10; wave++) {
      List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        reads.add(api.send(HttpMethod.GET, "/api/v1/products/" + sku, null, null));
      }
      Engines.await(Future.all(reads));
      reads.forEach(read -> assertThat(read.result().statusCode()).isEqualTo(200));
    }
    assertThat(dynamoReads() - before).isLessThanOrEqualTo(1);
  }

  /** Catalog DynamoDB calls other than the periodic snapshot scans (which no product read triggers). */
  private static long dynamoReads() {
    return api.store().services().meters().find("webstore.catalog.dynamo.calls").timers().stream()
        .filter(timer -> !"scan".equals(timer.getId().getTag("operation")))
        .mapToLong(Timer::count)
        .sum();
  }

  @Test
  void aSalePriceAppliesOnlyWhileTheSaleRuns() {
    String running = uniqueSku("SALE");
    String scheduled = uniqueSku("SALE");
    created(api, admin, running, productBody("On sale", "100.00", "sale"));
    created(api, admin, scheduled, productBody("Soon on sale", "50.00", "sale"));
    Instant now = Instant.now();
    String runningId = uniqueSku("flash");
    HttpResponse<Buffer> put = api.call(HttpMethod.PUT, "/api/v1/admin/sales/" + runningId, admin,
        saleBody(running, "79.5", now.minus(1, ChronoUnit.MINUTES), now.plus(1, ChronoUnit.HOURS)));
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    assertThat(put.bodyAsJsonObject().getBoolean("active")).isTrue();
    assertThat(put.bodyAsJsonObject().getJsonObject("price").getString("amount")).isEqualTo("79.50");
    HttpResponse<Buffer> later = api.call(HttpMethod.PUT, "/api/v1/admin/sales/" + uniqueSku("flash"), admin,
        saleBody(scheduled, "25.00", now.plus(1, ChronoUnit.HOURS), now.plus(2, ChronoUnit.HOURS)));
    assertThat(later.statusCode()).as(later.bodyAsString()).isEqualTo(200);
    assertThat(later.bodyAsJsonObject().getBoolean("active")).isFalse();

    JsonObject onSale = getProduct(api, running).bodyAsJsonObject();
    assertThat(onSale.getJsonObject("price").getString("amount")).isEqualTo("100.00"); // the list price stays
    JsonObject sale = onSale.getJsonObject("sale");
    assertThat(sale.getString("id")).isEqualTo(runningId);
    assertThat(sale.getJsonObject("price")).isEqualTo(new JsonObject().put("amount", "79.50").put("currency", "USD"));
    assertThat(sale.getInteger("per_customer_limit")).isEqualTo(2);
    assertThat(Instant.parse(sale.getString("ends_at"))).isAfter(now);
    assertThat(getProduct(api, scheduled).bodyAsJsonObject().getValue("sale")).isNull();

    Map<String, PriceQuote> quotes = Engines.await(new CatalogClient(api.store().vertx())
        .prices(List.of(running, scheduled, "NO-SUCH-" + UUID.randomUUID())));
    assertThat(quotes.keySet()).containsExactly(running, scheduled);
    assertThat(quotes.get(running).unitPrice().text()).isEqualTo("79.50");
    assertThat(quotes.get(running).listPrice().text()).isEqualTo("100.00");
    assertThat(quotes.get(running).sale().orElseThrow().id()).isEqualTo(runningId);
    assertThat(quotes.get(running).sale().orElseThrow().perCustomerLimit()).isEqualTo(2);
    assertThat(quotes.get(scheduled).unitPrice().text()).isEqualTo("50.00");
    assertThat(quotes.get(scheduled).sale()).isEmpty();

    JsonObject raw = Engines.await(new CatalogClient(api.store().vertx()).priceJson(List.of(scheduled)));
    assertThat(raw.getJsonObject("items").getJsonObject(scheduled).containsKey("sale")).isTrue();
    assertThat(raw.getJsonObject("items").getJsonObject(scheduled).getValue("sale")).isNull();
  }

  @Test
  void salesThatBreakTheRulesAreRejectedAndNotApplied() {
    String sku = uniqueSku("RULES");
    created(api, admin, sku, productBody("Rules", "20.00", "sale"));
    Instant now = Instant.now();
    Instant start = now.minus(1, ChronoUnit.MINUTES);
    Instant end = now.plus(1, ChronoUnit.HOURS);
    String id = uniqueSku("bad");
    assertSaleRejected(id, saleBody(sku, "20.00", start, end), "/price/amount"); // not lower than the list price
    assertSaleRejected(id, saleBody(sku, "10.00", end, start), "/ends_at");
    assertSaleRejected(id, saleBody(sku, "10.00", now.minus(2, ChronoUnit.HOURS), now.minus(1, ChronoUnit.HOURS)),
        "/ends_at");
    assertSaleRejected(id, saleBody("NO-SUCH-" + UUID.randomUUID(), "10.00", start, end), "/sku");
    JsonObject otherCurrency = saleBody(sku, "10.00", start, end);
    otherCurrency.getJsonObject("price").put("currency", "EUR");
    assertSaleRejected(id, otherCurrency, "/price/currency");
    assertSaleRejected(id, saleBody(sku, "10.00", start, end).put("discount", 5), null);
    assertSaleRejected(id, saleBody(sku, "10.00", start, end).put("per_customer_limit", 0), null);
    assertSaleRejected(id, saleBody(sku, "10.00", start, end).put("starts_at", "tomorrow"), null);

    assertThat(getProduct(api, sku).bodyAsJsonObject().getValue("sale")).isNull();
  }

  private void assertSaleRejected(String id, JsonObject body, String pointer) {
    HttpResponse<Buffer> response = api.call(HttpMethod.PUT, "/api/v1/admin/sales/" + id, admin, body);
    assertProblem(response, 422);
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/validation");
    if (pointer != null) {
      assertThat(response.bodyAsJsonObject().getJsonArray("errors").stream()
          .map(error -> ((JsonObject) error).getString("pointer"))).contains(pointer);
    }
  }

  @Test
  void badProductInputIsRejectedAndNothingIsStored() {
    String sku = uniqueSku("BAD");
    JsonObject floatPrice = productBody("X", "1.00", "bad");
    floatPrice.getJsonObject("price").put("amount", 19.99);
    JsonObject threeDecimals = productBody("X", "19.999", "bad");
    JsonObject lowerCaseCurrency = productBody("X", "19.99", "bad");
    lowerCaseCurrency.getJsonObject("price").put("currency", "usd");
    JsonObject noName = productBody("X", "1.00", "bad");
    noName.remove("name");
    JsonObject unknownField = productBody("X", "1.00", "bad").put("colour", "red");
    JsonObject badCategory = productBody("X", "1.00", "Bad Category");
    JsonObject nestedAttribute = productBody("X", "1.00", "bad");
    nestedAttribute.getJsonObject("attributes").put("size", new JsonObject().put("w", 1));
    JsonObject badImage = productBody("X", "1.00", "bad").put("images", new JsonArray().add("ftp://x/y.jpg"));
    JsonObject longName = productBody("x".repeat(201), "1.00", "bad");
    for (JsonObject body : List.of(floatPrice, threeDecimals, lowerCaseCurrency, noName, unknownField, badCategory,
        nestedAttribute, badImage, longName)) {
      HttpResponse<Buffer> response = putProduct(api, admin, sku, body);
      assertProblem(response, 422);
      assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/validation");
      assertThat(response.bodyAsJsonObject().getJsonArray("errors")).isNotEmpty();
    }
    assertProblem(putProduct(api, admin, "-bad", productBody("X", "1.00", "bad")), 400);
    assertProblem(getProduct(api, sku), 404);
    assertThat(Engines.await(new CatalogClient(api.store().vertx()).prices(List.of(sku)))).isEmpty();
  }

  @Test
  void theBusRejectsWhatTheContractWouldHave() {
    CatalogClient client = new CatalogClient(api.store().vertx());
    String sku = uniqueSku("BUS");
    JsonObject body = productBody("X", "19.999", "bus");
    assertThat(Engines.await(client.put(sku, body).recover(err -> Future.succeededFuture(
        new JsonObject().put("error", err.getClass().getSimpleName()))))).isEqualTo(
        new JsonObject().put("error", "Validation"));
    assertProblem(getProduct(api, sku), 404);
    JsonObject ok = Engines.await(client.put(sku, productBody("Bus", "3.50", "bus")));
    assertThat(ok.getBoolean("created")).isTrue();
    assertThat(Engines.await(client.get(sku)).json().getString("name")).isEqualTo("Bus");
  }

  static JsonObject saleBody(String sku, String amount, Instant startsAt, Instant endsAt) {
    return new JsonObject()
        .put("sku", sku)
        .put("price", new JsonObject().put("amount", amount).put("currency", "USD"))
        .put("starts_at", startsAt.toString())
        .put("ends_at", endsAt.toString())
        .put("per_customer_limit", 2);
  }

  private static List<String> skusOf(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("sku")).toList();
  }
}
