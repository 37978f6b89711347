package io.webstore.platform.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.checkout.CheckoutFixtures;
import io.webstore.checkout.CheckoutFixtures.Customer;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.LostReplies;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Every conditional write of the code base, with its first reply lost after the engine applied it: the SDK retries,
 * and the outcome must be the same as without the fault.
 */
class LostReplyTest {

  private static Api api;
  private static CheckoutFixtures fixtures;

  @BeforeAll
  static void start() {
    api = Api.shared();
    fixtures = new CheckoutFixtures(api);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void signUpWhoseEmailClaimReplyIsLostGivesAWorkingAccount() {
    String email = "lost-" + UUID.randomUUID() + "@example.com";
    try (LostReplies.Arm arm = LostReplies.arm("customers claim put", request ->
        request instanceof PutItemRequest put && put.tableName().endsWith("customers")
            && put.item().get("pk").s().equals("email#" + email))) {
      HttpResponse<Buffer> signUp = api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
          new JsonObject().put("email", email).put("password", "Lost-reply-pass-1"));
      assertThat(arm.fired()).as("the fault happened").isEqualTo(1);
      assertThat(signUp.statusCode()).as(signUp.bodyAsString()).isEqualTo(201);
    }
    HttpResponse<Buffer> login = api.call(HttpMethod.POST, "/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", "Lost-reply-pass-1"));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
  }

  @Test
  void cartAddsWhoseRepliesAreLostAddOnce() {
    String sku = fixtures.product("lost-cart", "5.00", 50);
    Customer buyer = fixtures.mintedCustomer();
    String owner = "customer:" + buyer.id();
    try (LostReplies.Arm first = LostReplies.arm("first cart put", cartPut(owner, 1))) {
      fixtures.addToCart(buyer, sku, 2);
      assertThat(first.fired()).isEqualTo(1);
    }
    try (LostReplies.Arm next = LostReplies.arm("versioned cart put", cartPut(owner, 2))) {
      fixtures.addToCart(buyer, sku, 3);
      assertThat(next.fired()).isEqualTo(1);
    }
    HttpResponse<Buffer> cart = api.get("/api/v1/cart", buyer.token());
    assertThat(cart.bodyAsJsonObject().getJsonArray("lines").getJsonObject(0).getInteger("quantity"))
        .as(cart.bodyAsString()).isEqualTo(5);
  }

  @Test
  void guestSessionWhosePutReplyIsLostIsKept() {
    String sku = fixtures.product("lost-session", "5.00", 50);
    List<String> sids = new ArrayList<>();
    try (LostReplies.Arm arm = LostReplies.arm("session put", request ->
        request instanceof PutItemRequest put && put.tableName().endsWith("sessions") && sids.isEmpty()
            && sids.add(put.item().get("sid").s()))) {
      HttpResponse<Buffer> added = api.call(HttpMethod.POST, "/api/v1/cart/items", null,
          new JsonObject().put("sku", sku).put("quantity", 1));
      assertThat(arm.fired()).isEqualTo(1);
      assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(200);
      String sid = added.getHeader("X-Session-Id");
      assertThat(sid).isEqualTo(sids.get(0));
      HttpResponse<Buffer> cart = Engines.await(api.request(HttpMethod.GET, "/api/v1/cart", null)
          .putHeader("X-Session-Id", sid).send());
      assertThat(cart.bodyAsJsonObject().getJsonObject("totals").getInteger("items")).as(cart.bodyAsString()).isEqualTo(1);
    }
  }

  private static Predicate<SdkRequest> cartPut(String owner, long version) {
    return request -> request instanceof PutItemRequest put && put.tableName().endsWith("carts")
        && put.item().get("owner").s().equals(owner) && put.item().get("version").n().equals(Long.toString(version));
  }
}
