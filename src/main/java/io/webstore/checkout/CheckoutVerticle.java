package io.webstore.checkout;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.webstore.orders.OrdersClient;
import io.webstore.orders.ShippingAddress;
import io.webstore.platform.error.DomainException;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.error.Validation;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns {@value CheckoutClient#PLACE}: reads and checks the request, runs the {@link CheckoutFlow} and replies with the answer to
 * send (status, exact body, location), which is the same for the first request and every replay. Any number of
 * instances may run; the idempotency record makes them agree.
 */
final class CheckoutVerticle extends VerticleBase {

  /** The shape of an {@code Idempotency-Key} (also checked by the contract). */
  static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_-]{8,128}$");
  private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
  private static final int LONGEST_DEVICE_ID = 128;

  private static final Logger log = LoggerFactory.getLogger(CheckoutVerticle.class);

  private final Supplier<CheckoutFlow> flows;
  private CheckoutFlow flow;

  CheckoutVerticle(Supplier<CheckoutFlow> flows) {
    this.flows = flows;
  }

  @Override
  public Future<?> start() {
    flow = flows.get();
    return vertx.eventBus().<JsonObject>consumer(CheckoutClient.PLACE, this::place).completion();
  }

  private void place(Message<JsonObject> msg) {
    Future.succeededFuture(msg.body())
        .map(CheckoutVerticle::request)
        .compose(flow::place)
        .onSuccess(answer -> msg.reply(CheckoutJson.response(answer.response(), answer.replayed())))
        .onFailure(err -> {
          if (err instanceof DomainException) {
            Replies.fail(msg, err);
            return;
          }
          log.error("checkout.error error={}", err.toString(), err);
          Replies.fail(msg, new Unavailable("the checkout could not be completed now; retry with the same "
              + "Idempotency-Key"));
        });
  }

  private static CheckoutRequest request(JsonObject cmd) {
    String customerId = cmd.getString("customer_id");
    String key = cmd.getString("key");
    if (customerId == null || customerId.isBlank()) {
      throw Validation.of("customer_id", "customer_id is required");
    }
    if (key == null || !KEY.matcher(key).matches()) {
      throw Validation.of("Idempotency-Key", "Idempotency-Key must have 8 to 128 letters, digits, '_' or '-'");
    }
    JsonObject body = cmd.getJsonObject("body", new JsonObject());
    if (!(body.getValue("shipping_address") instanceof JsonObject address)) {
      throw Validation.of("/shipping_address", "shipping_address is required");
    }
    if (!(body.getValue("payment_token") instanceof String token) || token.isBlank()) {
      throw Validation.of("/payment_token", "payment_token is required");
    }
    Object billing = body.getValue("billing_country");
    if (billing != null && !(billing instanceof String country && COUNTRY.matcher(country).matches())) {
      throw Validation.of("/billing_country", "billing_country must be an ISO 3166-1 alpha-2 code such as DE or US");
    }
    ShippingAddress shipping = OrdersClient.shippingAddress(address);
    JsonObject client = cmd.getJsonObject("client", new JsonObject());
    Optional<String> device = Optional.ofNullable(client.getString("device_id"))
        .filter(id -> !id.isBlank() && id.length() <= LONGEST_DEVICE_ID);
    return new CheckoutRequest(customerId, key, CheckoutJson.requestHash(body), shipping, token,
        client.getString("ip", "unknown"), device, Optional.ofNullable((String) billing));
  }
}
