package io.webstore.cart;

import static io.webstore.cart.CartFixtures.CART;
import static io.webstore.cart.CartFixtures.ITEMS;
import static io.webstore.cart.CartFixtures.add;
import static io.webstore.cart.CartFixtures.customerToken;
import static io.webstore.cart.CartFixtures.line;
import static io.webstore.cart.CartFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@WebstoreTest
class CartConcurrencyTest {

  @Shared static Api api;

  @Test
  void twentyConcurrentAddsOfDifferentSkusKeepEveryLine() {
    List<String> skus = products(20);
    String token = customerToken(api, UUID.randomUUID().toString());

    List<Future<HttpResponse<Buffer>>> adds = skus.stream()
        .map(sku -> api.send(HttpMethod.POST, ITEMS, token, add(sku, 1)))
        .toList();
    Engines.await(Future.all(adds));

    adds.forEach(added -> ok(added.result()));
    JsonObject cart = ok(api.call(HttpMethod.GET, CART, token, null));
    assertThat(cart.getJsonArray("lines")).hasSize(20);
    skus.forEach(sku -> assertThat(line(cart, sku).getInteger("quantity")).isEqualTo(1));
    assertThat(cart.getLong("version")).isEqualTo(20);
    assertThat(cart.getJsonObject("totals").getInteger("items")).isEqualTo(20);
  }

  @Test
  void concurrentAddsOfOneSkuLoseNoUnit() {
    String sku = products(1).get(0);
    HttpResponse<Buffer> started = api.call(HttpMethod.GET, CART, null, null);
    String session = started.getHeader("X-Session-Id");

    List<Future<HttpResponse<Buffer>>> adds = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      adds.add(CartFixtures.send(api, HttpMethod.POST, ITEMS, null, CartFixtures.sessionHeader(session), add(sku, 1)));
    }
    Engines.await(Future.all(adds));

    adds.forEach(added -> ok(added.result()));
    JsonObject cart = ok(CartFixtures.call(api, HttpMethod.GET, CART, null, CartFixtures.sessionHeader(session),
        null));
    assertThat(line(cart, sku).getInteger("quantity")).isEqualTo(10);
    assertThat(cart.getLong("version")).isEqualTo(10);
  }

  @Test
  void concurrentAddsThroughTwoInstancesKeepEveryLine(Stores stores) {
    List<String> skus = products(20);
    String customer = UUID.randomUUID().toString();
    Api second = stores.api(stores.start(new JsonObject()));
    // each dev store signs with a key of its own: one token per instance, same customer
    Map<Api, String> tokens = Map.of(api, customerToken(api, customer), second, customerToken(second, customer));
    List<Future<HttpResponse<Buffer>>> adds = new ArrayList<>();
    for (int i = 0; i < skus.size(); i++) {
      Api via = i % 2 == 0 ? api : second; // the two instances race for the same item
      adds.add(via.send(HttpMethod.POST, ITEMS, tokens.get(via), add(skus.get(i), 1)));
    }
    Engines.await(Future.all(adds));

    adds.forEach(added -> ok(added.result()));
    for (Api reader : List.of(api, second)) {
      // an instance may serve the copy it kept of its own last write for up to cart.cacheTtlMs
      Deadline.await("every line seen through each instance", Duration.ofSeconds(5),
          () -> ok(reader.call(HttpMethod.GET, CART, tokens.get(reader), null)).getLong("version") == 20);
      JsonObject cart = ok(reader.call(HttpMethod.GET, CART, tokens.get(reader), null));
      assertThat(cart.getJsonArray("lines")).hasSize(20);
      skus.forEach(sku -> assertThat(line(cart, sku).getInteger("quantity")).isEqualTo(1));
    }
  }

  @Test
  void aChangeMadeElsewhereIsKeptWhenThisInstanceHeldAnOlderCopy() {
    List<String> skus = products(2);
    String customer = UUID.randomUUID().toString();
    String token = customerToken(api, customer);
    JsonObject first = ok(api.call(HttpMethod.POST, ITEMS, token, add(skus.get(0), 1))); // kept by this instance
    // another instance adds a line meanwhile: the stored cart moves to the next version behind this one's back
    Engines.await(Future.fromCompletionStage(api.store().services().aws().dynamo().putItem(put -> put
        .tableName(api.store().services().config().dynamo().table("carts"))
        .item(Map.of(
            "owner", AttributeValue.fromS("customer:" + customer),
            "lines", AttributeValue.fromL(List.of(
                AttributeValue.fromM(Map.of("sku", AttributeValue.fromS(skus.get(0)), "quantity",
                    AttributeValue.fromN("1"))),
                AttributeValue.fromM(Map.of("sku", AttributeValue.fromS(skus.get(1)), "quantity",
                    AttributeValue.fromN("4"))))),
            "version", AttributeValue.fromN(Long.toString(first.getLong("version") + 1)))))));
    double conflictsBefore = conflicts();

    JsonObject cart = ok(api.call(HttpMethod.POST, ITEMS, token, add(skus.get(0), 2)));

    assertThat(conflicts()).isEqualTo(conflictsBefore + 1); // the kept copy lost the race, a fresh read won
    assertThat(line(cart, skus.get(0)).getInteger("quantity")).isEqualTo(3);
    assertThat(line(cart, skus.get(1)).getInteger("quantity")).isEqualTo(4);
    assertThat(cart.getLong("version")).isEqualTo(first.getLong("version") + 2);
  }

  private static double conflicts() {
    return api.store().services().meters().counter("webstore.cart.write.conflicts").count();
  }

  private static List<String> products(int count) {
    String admin = CartFixtures.adminToken(api);
    List<Future<String>> made = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      made.add(CartFixtures.productAsync(api, admin, "Concurrent " + i, "2.50", 100));
    }
    Engines.await(Future.all(made));
    return made.stream().map(Future::result).toList();
  }
}
