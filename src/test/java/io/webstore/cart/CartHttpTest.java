package io.webstore.cart;

import static io.webstore.cart.CartFixtures.CART;
import static io.webstore.cart.CartFixtures.ITEMS;
import static io.webstore.cart.CartFixtures.add;
import static io.webstore.cart.CartFixtures.call;
import static io.webstore.cart.CartFixtures.cookie;
import static io.webstore.cart.CartFixtures.customerToken;
import static io.webstore.cart.CartFixtures.dynamoCalls;
import static io.webstore.cart.CartFixtures.line;
import static io.webstore.cart.CartFixtures.none;
import static io.webstore.cart.CartFixtures.ok;
import static io.webstore.cart.CartFixtures.problem;
import static io.webstore.cart.CartFixtures.product;
import static io.webstore.cart.CartFixtures.sessionHeader;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

@WebstoreTest
class CartHttpTest {

  @Shared static Api api;

  // ---- guests

  @Test
  void aGuestsReadAnswersTheCartAsItsAddDidWithoutTheOwner() {
    String sku = product(api, "read", "Read mug", "7.25", "USD", 20);
    HttpResponse<Buffer> added = call(api, HttpMethod.POST, ITEMS, null, none(), add(sku, 3));
    JsonObject cart = ok(added);
    HttpResponse<Buffer> read = call(api, HttpMethod.GET, CART, null, cookie(added.getHeader("X-Session-Id")), null);
    JsonObject kept = ok(read);
    assertThat(kept.fieldNames()).containsExactlyInAnyOrder("id", "lines", "totals", "version");
    assertThat(kept).isEqualTo(cart);
    assertThat(read.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(read.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void guestGetsASessionCookieAndKeepsTheCartWithIt() {
    String sku = product(api, "guest", "Guest mug", "12.50", "USD", 20);

    HttpResponse<Buffer> first = call(api, HttpMethod.POST, ITEMS, null, none(), add(sku, 2));
    JsonObject cart = ok(first);
    String sid = first.getHeader("X-Session-Id");
    assertThat(sid).matches("[A-Za-z0-9_-]{22}");
    String setCookie = first.headers().get("Set-Cookie");
    assertThat(setCookie).startsWith("sid=" + sid + ";").containsIgnoringCase("; HttpOnly")
        .containsIgnoringCase("; SameSite=Lax").contains("; Secure").contains("; Path=/").contains("; Max-Age=");
    assertThat(cart.containsKey("owner")).isFalse();
    assertThat(cart.getString("id")).isNotBlank().doesNotContain(sid);
    assertThat(line(cart, sku).getInteger("quantity")).isEqualTo(2);

    HttpResponse<Buffer> again = call(api, HttpMethod.GET, CART, null, cookie(sid), null);
    JsonObject kept = ok(again);
    assertThat(again.getHeader("X-Session-Id")).isEqualTo(sid);
    assertThat(again.headers().get("Set-Cookie")).isNull(); // a known session is not set again
    assertThat(again.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(line(kept, sku).getInteger("quantity")).isEqualTo(2);
    assertThat(kept.getString("id")).isEqualTo(cart.getString("id"));

    GetItemResponse stored = sessionItem(sid);
    assertThat(stored.hasItem()).isTrue();
    long expiresAt = Long.parseLong(stored.item().get("expires_at").n());
    assertThat(Instant.ofEpochSecond(expiresAt))
        .isBetween(Instant.now().plus(29, ChronoUnit.DAYS), Instant.now().plus(31, ChronoUnit.DAYS));
  }

  @Test
  void mobileGuestUsesTheSessionHeader() {
    String sku = product(api, "mobile", "Mobile case", "8.00", "USD", 20);

    HttpResponse<Buffer> created = call(api, HttpMethod.GET, CART, null, none(), null);
    String sid = created.getHeader("X-Session-Id");
    assertThat(ok(created).getJsonArray("lines")).isEmpty();

    ok(call(api, HttpMethod.POST, ITEMS, null, sessionHeader(sid), add(sku, 1)));
    HttpResponse<Buffer> read = call(api, HttpMethod.GET, CART, null, sessionHeader(sid), null);
    assertThat(read.getHeader("X-Session-Id")).isEqualTo(sid);
    assertThat(line(ok(read), sku).getInteger("quantity")).isEqualTo(1);

    HttpResponse<Buffer> stranger = call(api, HttpMethod.GET, CART, null, none(), null);
    assertThat(stranger.getHeader("X-Session-Id")).isNotEqualTo(sid);
    assertThat(ok(stranger).getJsonArray("lines")).isEmpty();
  }

  @Test
  void unknownMalformedAndExpiredSessionsGetAFreshSession() {
    String unknown = "AAAAAAAAAAAAAAAAAAAAAA"; // well formed, never issued
    HttpResponse<Buffer> fresh = call(api, HttpMethod.GET, CART, null, sessionHeader(unknown), null);
    assertThat(fresh.getHeader("X-Session-Id")).isNotEqualTo(unknown).matches("[A-Za-z0-9_-]{22}");
    assertThat(fresh.headers().get("Set-Cookie")).startsWith("sid=" + fresh.getHeader("X-Session-Id"));

    HttpResponse<Buffer> malformed = call(api, HttpMethod.GET, CART, null, cookie("not-a-session"), null);
    assertThat(malformed.getHeader("X-Session-Id")).isNotEqualTo("not-a-session").matches("[A-Za-z0-9_-]{22}");

    String expired = "EXPIRED" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    putSession(expired, Instant.now().minus(1, ChronoUnit.DAYS));
    HttpResponse<Buffer> renewed = call(api, HttpMethod.GET, CART, null, cookie(expired), null);
    assertThat(ok(renewed).getJsonArray("lines")).isEmpty();
    assertThat(renewed.getHeader("X-Session-Id")).isNotEqualTo(expired);
    assertThat(renewed.headers().get("Set-Cookie")).startsWith("sid=" + renewed.getHeader("X-Session-Id"));
  }

  @Test
  void anAddResentWithItsIdempotencyKeyAddsOnceEvenWhenTheResendsRace() {
    String sku = product(api, "resend", "Resent cup", "9.00", "USD", 50);
    String token = customerToken(api, UUID.randomUUID().toString());
    String firstKey = "add-" + UUID.randomUUID();

    JsonObject first = ok(call(api, HttpMethod.POST, ITEMS, token, key(firstKey), add(sku, 2)));
    JsonObject resent = ok(call(api, HttpMethod.POST, ITEMS, token, key(firstKey), add(sku, 2)));
    assertThat(line(resent, sku).getInteger("quantity")).isEqualTo(2);
    assertThat(resent.getLong("version")).as("a resend writes nothing").isEqualTo(first.getLong("version"));

    // the answer of an add was lost, and the client sends it again eight times at once: one add lands
    String racedKey = "add-" + UUID.randomUUID();
    List<Future<HttpResponse<Buffer>>> resends = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      resends.add(CartFixtures.send(api, HttpMethod.POST, ITEMS, token, key(racedKey), add(sku, 1)));
    }
    Engines.await(Future.all(resends));
    resends.forEach(answer -> assertThat(line(ok(answer.result()), sku).getInteger("quantity")).isEqualTo(3));

    // without a key every add counts, and another key is another add
    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 1)));
    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 1)));
    JsonObject other = ok(call(api, HttpMethod.POST, ITEMS, token, key("add-" + UUID.randomUUID()), add(sku, 1)));
    assertThat(line(other, sku).getInteger("quantity")).isEqualTo(6);
    assertThat(line(ok(call(api, HttpMethod.GET, CART, token, none(), null)), sku).getInteger("quantity"))
        .isEqualTo(6);
  }

  @Test
  void anAddWithAMalformedIdempotencyKeyIsRefusedAndChangesNothing() {
    String sku = product(api, "badkey", "Bad-key spoon", "3.00", "USD", 10);
    String token = customerToken(api, UUID.randomUUID().toString());

    HttpResponse<Buffer> refused = call(api, HttpMethod.POST, ITEMS, token, key("short"), add(sku, 1));

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isIn(400, 422);
    assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(ok(call(api, HttpMethod.GET, CART, token, none(), null)).getJsonArray("lines")).isEmpty();
  }

  private static MultiMap key(String idempotencyKey) {
    return MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", idempotencyKey);
  }

  // ---- customers

  @Test
  void customerCartFollowsTheTokenNotTheSession() {
    String sku = product(api, "auth", "Signed-in lamp", "30.00", "USD", 20);
    String customer = UUID.randomUUID().toString();
    String token = customerToken(api, customer);

    HttpResponse<Buffer> added = call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 3));
    assertThat(line(ok(added), sku).getInteger("quantity")).isEqualTo(3);
    assertThat(added.getHeader("X-Session-Id")).isNull();
    assertThat(added.headers().get("Set-Cookie")).isNull();

    // another token of the same customer sees the same cart
    assertThat(line(ok(call(api, HttpMethod.GET, CART, customerToken(api, customer), none(), null)), sku)
        .getInteger("quantity")).isEqualTo(3);
    // a guest does not
    assertThat(ok(call(api, HttpMethod.GET, CART, null, none(), null)).getJsonArray("lines")).isEmpty();
    // nor does another customer
    assertThat(ok(call(api, HttpMethod.GET, CART, customerToken(api, UUID.randomUUID().toString()), none(), null))
        .getJsonArray("lines")).isEmpty();
  }

  @Test
  void invalidTokenIsRefusedNeverServedAsGuest() {
    String token = customerToken(api, UUID.randomUUID().toString());
    String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    long before = dynamoCalls(api);

    HttpResponse<Buffer> bad = call(api, HttpMethod.GET, CART, tampered, none(), null);
    problem(bad, 401, "unauthorized");
    assertThat(bad.getHeader("WWW-Authenticate")).contains("invalid_token");
    assertThat(bad.getHeader("X-Session-Id")).isNull();
    assertThat(bad.headers().get("Set-Cookie")).isNull();

    HttpResponse<Buffer> basic = call(api, HttpMethod.POST, ITEMS, null,
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Authorization", "Basic dXNlcjpwYXNz"), add("X-1", 1));
    problem(basic, 401, "unauthorized");
    assertThat(dynamoCalls(api)).isEqualTo(before); // no session was made for either
  }

  // ---- prices

  @Test
  void pricesAndTotalsComeFromTheCatalogWithExactDecimals() {
    String mug = product(api, "price", "Mug", "19.99", "USD", 50);
    String pin = product(api, "price", "Pin", "0.10", "USD", 50);
    String token = customerToken(api, UUID.randomUUID().toString());

    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(mug, 3)));
    JsonObject cart = ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(pin, 3)));

    JsonObject mugLine = line(cart, mug);
    assertThat(mugLine.getString("name")).isEqualTo("Mug");
    assertThat(mugLine.getJsonObject("unit_price")).isEqualTo(money("19.99"));
    assertThat(mugLine.getJsonObject("line_total")).isEqualTo(money("59.97"));
    assertThat(mugLine.containsKey("sale_id")).isFalse();
    assertThat(line(cart, pin).getJsonObject("line_total")).isEqualTo(money("0.30")); // not 0.30000000000000004
    assertThat(cart.getJsonObject("totals")).isEqualTo(new JsonObject().put("items", 6).put("subtotal",
        money("60.27")));
    assertThat(cart.getJsonArray("lines").stream().map(l -> ((JsonObject) l).getString("sku")).toList())
        .containsExactly(mug, pin); // the order lines were added in

    // a price change in the catalog shows at the next read: prices are never stored with the cart
    HttpResponse<Buffer> repriced = api.call(HttpMethod.PUT, "/api/v1/admin/products/" + mug,
        CartFixtures.adminToken(api), CartFixtures.productBody("Mug", "17.50", "USD"));
    assertThat(repriced.statusCode()).as(repriced.bodyAsString()).isEqualTo(200);
    Deadline.await("the new price in the cart", Duration.ofSeconds(5), () ->
        money("52.50").equals(line(ok(call(api, HttpMethod.GET, CART, token, none(), null)), mug)
            .getJsonObject("line_total")));
    assertThat(ok(call(api, HttpMethod.GET, CART, token, none(), null)).getJsonObject("totals")
        .getJsonObject("subtotal")).isEqualTo(money("52.80"));
  }

  @Test
  void aClientSentPriceIsRejectedAndChangesNothing() {
    String sku = product(api, "cheat", "Watch", "250.00", "USD", 5);
    String token = customerToken(api, UUID.randomUUID().toString());

    JsonObject cheat = add(sku, 1).put("unit_price", new JsonObject().put("amount", "0.01").put("currency", "USD"));
    JsonObject problem = problem(call(api, HttpMethod.POST, ITEMS, token, none(), cheat), 422, "validation");
    assertThat(problem.encode()).contains("unit_price");
    JsonObject cheatPatch = new JsonObject().put("quantity", 1).put("price", "0.01");
    problem(call(api, HttpMethod.PATCH, ITEMS + "/" + sku, token, none(), cheatPatch), 422, "validation");

    assertThat(ok(call(api, HttpMethod.GET, CART, token, none(), null)).getJsonArray("lines")).isEmpty();
  }

  @Test
  void saleSkuUsesTheSalePriceAndItsPerCustomerLimit() {
    String sku = product(api, "sale", "Headphones", "99.00", "USD", 100);
    String saleId = CartFixtures.sale(api, sku, "59.00", 2);
    String token = customerToken(api, UUID.randomUUID().toString());

    Deadline.await("the sale running in the catalog", Duration.ofSeconds(5), () -> {
      JsonObject product = api.get("/api/v1/products/" + sku, null).bodyAsJsonObject();
      return product.getValue("sale") instanceof JsonObject running && saleId.equals(running.getString("id"));
    });
    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 1)));
    JsonObject line = line(ok(call(api, HttpMethod.GET, CART, token, none(), null)), sku);
    assertThat(line.getJsonObject("unit_price")).isEqualTo(money("59.00"));
    assertThat(line.getString("sale_id")).isEqualTo(saleId);

    JsonObject problem = problem(call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 2)), 422, "validation");
    JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getInteger("limit")).isEqualTo(2);
    assertThat(error.getString("sale_id")).isEqualTo(saleId);
    assertThat(error.getString("pointer")).isEqualTo("/quantity");
    assertThat(problem.getString("detail")).contains("2");

    JsonObject upToLimit = ok(call(api, HttpMethod.PATCH, ITEMS + "/" + sku, token, none(),
        new JsonObject().put("quantity", 2)));
    assertThat(line(upToLimit, sku).getJsonObject("line_total")).isEqualTo(money("118.00"));
    problem(call(api, HttpMethod.PATCH, ITEMS + "/" + sku, token, none(), new JsonObject().put("quantity", 3)),
        422, "validation");
    assertThat(line(ok(call(api, HttpMethod.GET, CART, token, none(), null)), sku).getInteger("quantity"))
        .isEqualTo(2);
  }

  // ---- stock

  @Test
  void soldOutSkuIs409FromRedisWithoutTouchingDynamoDb() {
    String soldOut = product(api, "soldout", "Sold-out console", "499.00", "USD", 0);
    String token = customerToken(api, UUID.randomUUID().toString());
    ok(call(api, HttpMethod.GET, CART, token, none(), null)); // the cart exists (or not) before; only the add counts

    long before = dynamoCalls(api);
    HttpResponse<Buffer> refused = call(api, HttpMethod.POST, ITEMS, token, none(), add(soldOut, 1));
    JsonObject problem = problem(refused, 409, "out-of-stock");
    assertThat(problem.getJsonArray("skus").getList()).containsExactly(soldOut);
    assertThat(dynamoCalls(api)).isEqualTo(before);

    // a guest with a known session: the same, not even a session read
    HttpResponse<Buffer> guest = call(api, HttpMethod.GET, CART, null, none(), null);
    String sid = guest.getHeader("X-Session-Id");
    long beforeGuest = dynamoCalls(api);
    problem(call(api, HttpMethod.POST, ITEMS, null, sessionHeader(sid), add(soldOut, 1)), 409, "out-of-stock");
    assertThat(dynamoCalls(api)).isEqualTo(beforeGuest);
  }

  @Test
  void moreThanAvailableIs409AndLoweringIsAlwaysAllowed() {
    String sku = product(api, "few", "Rare vinyl", "25.00", "USD", 3);
    String token = customerToken(api, UUID.randomUUID().toString());

    problem(call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 4)), 409, "out-of-stock");
    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 3)));
    problem(call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 1)), 409, "out-of-stock");
    problem(call(api, HttpMethod.PATCH, ITEMS + "/" + sku, token, none(), new JsonObject().put("quantity", 4)),
        409, "out-of-stock");

    CartFixtures.stock(api, sku, 1);
    JsonObject lowered = ok(call(api, HttpMethod.PATCH, ITEMS + "/" + sku, token, none(),
        new JsonObject().put("quantity", 2)));
    assertThat(line(lowered, sku).getInteger("quantity")).isEqualTo(2);
  }

  // ---- limits and rules

  @Test
  void perLineLimitIs422WithTheLimit() {
    String sku = product(api, "limit", "Socks", "5.00", "USD", 100);
    String token = customerToken(api, UUID.randomUUID().toString());

    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 10)));
    JsonObject problem = problem(call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 1)), 422, "validation");
    JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getInteger("limit")).isEqualTo(10);
    assertThat(error.getString("pointer")).isEqualTo("/quantity");
    assertThat(error.containsKey("sale_id")).isFalse();
    assertThat(problem.getString("detail")).contains("10");

    JsonObject patched = problem(call(api, HttpMethod.PATCH, ITEMS + "/" + sku, token, none(),
        new JsonObject().put("quantity", 11)), 422, "validation");
    assertThat(patched.getJsonArray("errors").getJsonObject(0).getInteger("limit")).isEqualTo(10);
    assertThat(line(ok(call(api, HttpMethod.GET, CART, token, none(), null)), sku).getInteger("quantity"))
        .isEqualTo(10);
  }

  @Test
  void lineCountLimitIs422WithTheLimit() {
    String admin = CartFixtures.adminToken(api);
    List<Future<String>> made = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      made.add(CartFixtures.productAsync(api, admin, "Line " + i, "1.00", 10));
    }
    Engines.await(Future.all(made));
    List<String> skus = made.stream().map(Future::result).toList();
    String token = customerToken(api, UUID.randomUUID().toString());
    for (String sku : skus.subList(0, 50)) {
      ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(sku, 1)));
    }

    JsonObject problem = problem(call(api, HttpMethod.POST, ITEMS, token, none(), add(skus.get(50), 1)), 422,
        "validation");
    JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getInteger("limit")).isEqualTo(50);
    assertThat(error.getString("pointer")).isEqualTo("/sku");
    JsonObject cart = ok(call(api, HttpMethod.GET, CART, token, none(), null));
    assertThat(cart.getJsonArray("lines")).hasSize(50);
    // more of a SKU already in the cart is still fine
    assertThat(line(ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(skus.get(0), 1))), skus.get(0))
        .getInteger("quantity")).isEqualTo(2);
  }

  @Test
  void aCartHoldsOneCurrency() {
    String dollars = product(api, "usd", "Dollar book", "10.00", "USD", 10);
    String euros = product(api, "eur", "Euro book", "10.00", "EUR", 10);
    String token = customerToken(api, UUID.randomUUID().toString());

    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(dollars, 1)));
    JsonObject problem = problem(call(api, HttpMethod.POST, ITEMS, token, none(), add(euros, 1)), 422,
        "validation");
    assertThat(problem.getString("detail")).contains("USD").contains("EUR");
    assertThat(ok(call(api, HttpMethod.GET, CART, token, none(), null)).getJsonArray("lines")).hasSize(1);
  }

  @Test
  void unknownSkuIs404AndNothingIsStored() {
    String token = customerToken(api, UUID.randomUUID().toString());
    problem(call(api, HttpMethod.POST, ITEMS, token, none(), add(CartFixtures.uniqueSku("ghost"), 1)), 404,
        "not-found");
    problem(call(api, HttpMethod.PATCH, ITEMS + "/" + CartFixtures.uniqueSku("ghost"), token, none(),
        new JsonObject().put("quantity", 1)), 404, "not-found");
    JsonObject cart = ok(call(api, HttpMethod.GET, CART, token, none(), null));
    assertThat(cart.getJsonArray("lines")).isEmpty();
    assertThat(cart.getLong("version")).isZero();
  }

  @Test
  void emptyCartHasZeroTotals() {
    JsonObject cart = ok(call(api, HttpMethod.GET, CART, customerToken(api, UUID.randomUUID().toString()), none(),
        null));
    assertThat(cart.getJsonObject("totals")).isEqualTo(new JsonObject().put("items", 0).put("subtotal",
        money("0.00")));
  }

  @Test
  void updateRemoveAndClear() {
    String a = product(api, "edit", "Pen", "2.00", "USD", 50);
    String b = product(api, "edit", "Ink", "4.00", "USD", 50);
    String token = customerToken(api, UUID.randomUUID().toString());
    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(a, 1)));
    ok(call(api, HttpMethod.POST, ITEMS, token, none(), add(b, 1)));

    JsonObject updated = ok(call(api, HttpMethod.PATCH, ITEMS + "/" + a, token, none(),
        new JsonObject().put("quantity", 5)));
    assertThat(line(updated, a).getInteger("quantity")).isEqualTo(5);
    assertThat(updated.getJsonObject("totals").getJsonObject("subtotal")).isEqualTo(money("14.00"));

    JsonObject removed = ok(call(api, HttpMethod.DELETE, ITEMS + "/" + a, token, none(), null));
    assertThat(removed.getJsonArray("lines")).hasSize(1);
    JsonObject again = ok(call(api, HttpMethod.DELETE, ITEMS + "/" + a, token, none(), null)); // idempotent
    assertThat(again.getLong("version")).isEqualTo(removed.getLong("version"));

    JsonObject cleared = ok(call(api, HttpMethod.DELETE, CART, token, none(), null));
    assertThat(cleared.getJsonArray("lines")).isEmpty();
    assertThat(ok(call(api, HttpMethod.GET, CART, token, none(), null)).getJsonArray("lines")).isEmpty();
  }

  @Test
  void contractRejectsBadQuantities() {
    String token = customerToken(api, UUID.randomUUID().toString());
    problem(call(api, HttpMethod.POST, ITEMS, token, none(), add("SKU-1", 0)), 422, "validation");
    problem(call(api, HttpMethod.POST, ITEMS, token, none(), new JsonObject().put("sku", "SKU-1")), 422,
        "validation");
    problem(call(api, HttpMethod.POST, ITEMS, token, none(), new JsonObject().put("sku", "SKU-1")
        .put("quantity", 1.5)), 422, "validation");
  }

  // ---- helpers

  private static JsonObject money(String amount) {
    return new JsonObject().put("amount", amount).put("currency", "USD");
  }

  private static String sessionsTable() {
    return api.store().services().config().dynamo().table("sessions");
  }

  private static GetItemResponse sessionItem(String sid) {
    return Engines.await(Future.fromCompletionStage(api.store().services().aws().dynamo().getItem(get -> get
        .tableName(sessionsTable()).key(Map.of("sid", AttributeValue.fromS(sid))).consistentRead(true))));
  }

  /** A session as an earlier run would have left it (time cannot be moved forward in a test). */
  private static void putSession(String sid, Instant expiresAt) {
    Engines.await(Future.fromCompletionStage(api.store().services().aws().dynamo().putItem(put -> put
        .tableName(sessionsTable())
        .item(Map.of(
            "sid", AttributeValue.fromS(sid),
            "created_at", AttributeValue.fromS(expiresAt.minus(30, ChronoUnit.DAYS).toString()),
            "expires_at", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())))))));
  }
}
