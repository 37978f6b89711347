package io.webstore.checkout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import java.time.Duration;
import java.util.Optional;

/** Typed access to {@value #PLACE} for the HTTP layer. */
public final class CheckoutClient {

  /** {@code {}} → {@code {"found", "completed", "rolled_back", "failed"}}: runs one pass now. */
  public static final String RECOVER = "checkout.recover";

  /**
   * {@code {"customer_id", "key", "body": {"shipping_address", "payment_token", "billing_country"?}, "client": {"ip",
   * "device_id"?}}} → {@code {"status", "body",
   * "location"?, "replayed"}}. Fails Validation (a bad address, a key reused with another body), InProgress (the
   * key's checkout still running after the wait: ask again with the same key) or Unavailable.
   */
  public static final String PLACE = "checkout.place";

  /** The answer to send, and whether it is a replay of a stored one. */
  public record Reply(StoredResponse response, boolean replayed) {}

  private final Vertx vertx;
  private final DeliveryOptions options;

  public CheckoutClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /**
   * Places (or replays) the checkout of {@code customerId}'s cart under {@code key}; {@code body} as received, from
   * {@code clientIp} (as {@code platform.ratelimit.ClientAddress} reads it) and the device it named, if any.
   */
  public Future<Reply> place(String customerId, String key, JsonObject body, String clientIp,
      Optional<String> deviceId) {
    JsonObject client = new JsonObject().put("ip", clientIp);
    deviceId.ifPresent(device -> client.put("device_id", device));
    return vertx.eventBus().<JsonObject>request(PLACE, new JsonObject().put("customer_id", customerId).put("key", key)
            .put("body", body).put("client", client), options)
        .recover(Replies::recover)
        .map(reply -> new Reply(CheckoutJson.response(reply.body()), reply.body().getBoolean("replayed", false)));
  }
}
