package io.webstore.payment;

import io.webstore.platform.money.Amount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.DomainException;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.AmountJson;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the {@code payment.*} addresses (authorize, void, capture, refund, get) and hands them to the {@link
 * PaymentGateway}. Logs carry keys, amounts and outcomes, never tokens or card data.
 */
final class PaymentVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(PaymentVerticle.class);

  private final PaymentGateway gateway;
  private final Webhooks webhooks;
  private final MeterRegistry meters;

  PaymentVerticle(PaymentGateway gateway, Webhooks webhooks, MeterRegistry meters) {
    this.gateway = gateway;
    this.webhooks = webhooks;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    return Future.all(
        consumer(PaymentClient.AUTHORIZE, this::authorize),
        consumer(PaymentClient.VOID, this::voidKey),
        consumer(PaymentClient.CAPTURE, this::capture),
        consumer(PaymentClient.REFUND, this::refund),
        consumer(PaymentClient.WEBHOOK, this::webhook),
        consumer(PaymentClient.GET, body -> gateway.find(required(body, "key")).map(PaymentJson::payment)));
  }

  private Future<Void> consumer(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> answer(msg, handler)).completion();
  }

  private static void answer(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future.succeededFuture(msg.body())
        .compose(handler)
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, err));
  }

  private Future<JsonObject> authorize(JsonObject body) {
    String key = required(body, "key");
    String token = required(body, "token");
    Amount amount;
    try {
      amount = AmountJson.fromJson(body.getJsonObject("amount", new JsonObject()));
    } catch (IllegalArgumentException e) {
      throw Validation.of("/amount", "amount must be {\"amount\": \"12.34\", \"currency\": \"EUR\"}");
    }
    Map<String, String> metadata = new HashMap<>();
    body.getJsonObject("metadata", new JsonObject()).forEach(entry -> metadata.put(entry.getKey(),
        String.valueOf(entry.getValue())));
    return gateway.authorize(key, amount, token, metadata)
        .andThen(result -> count("authorize", result))
        .onSuccess(auth -> log.info("payment.authorized key={} amount={}", key, amount))
        .onFailure(err -> log.info("payment.not_authorized key={} reason={}", key, err.getClass().getSimpleName()))
        .map(PaymentJson::authorization);
  }

  private Future<JsonObject> voidKey(JsonObject body) {
    String key = required(body, "key");
    return gateway.voidAuthorization(key)
        .andThen(result -> count("void", result))
        .onSuccess(status -> log.info("payment.voided key={} status={}", key, status.wire()))
        .map(status -> new JsonObject().put("key", key).put("status", status.wire()));
  }

  private Future<JsonObject> capture(JsonObject body) {
    String key = required(body, "key");
    return gateway.capture(key)
        .andThen(result -> count("capture", result))
        .onSuccess(payment -> log.info("payment.captured key={} amount={}", key, payment.captured()))
        .map(PaymentJson::payment);
  }

  private Future<JsonObject> refund(JsonObject body) {
    String key = required(body, "key");
    Optional<Amount> amount;
    try {
      amount = Optional.ofNullable(body.getJsonObject("amount")).map(AmountJson::fromJson);
    } catch (IllegalArgumentException e) {
      throw Validation.of("/amount", "amount must be {\"amount\": \"12.34\", \"currency\": \"EUR\"}");
    }
    Optional<String> refundKey = Optional.ofNullable(body.getValue("refund_key")).map(value -> {
      if (!(value instanceof String text) || text.isBlank()) {
        throw Validation.of("/refund_key", "refund_key must be a non-empty string");
      }
      return text;
    });
    return gateway.refund(key, amount, refundKey)
        .andThen(result -> count("refund", result))
        .onSuccess(refund -> log.info("payment.refunded key={} number={} amount={} replayed={} refunded={} status={}",
            key, refund.number(), refund.amount(), refund.replayed(), refund.payment().refunded(),
            refund.payment().status().wire()))
        .map(refund -> PaymentJson.payment(refund.payment()).put("refund", new JsonObject()
            .put("number", refund.number())
            .put("amount", AmountJson.toJson(refund.amount()))
            .put("replayed", refund.replayed())));
  }

  private Future<JsonObject> webhook(JsonObject body) {
    String provider = required(body, "provider");
    return Future.succeededFuture(body)
        .compose(event -> webhooks.receive(provider, body.getString("timestamp"), body.getString("signature"),
            body.getString("body", "")))
        .andThen(result -> count("webhook", result))
        .onSuccess(done -> log.info("payment.webhook provider={} duplicate={}", provider, done.getBoolean("duplicate")))
        .onFailure(err -> log.info("payment.webhook_refused provider={} reason={}", provider,
            err.getClass().getSimpleName()));
  }

  /** {@code webstore.payment.operations{operation, outcome}}: success, or the failure's kind. */
  private void count(String operation, AsyncResult<?> result) {
    String outcome = result.succeeded() ? "success"
        : result.cause() instanceof DomainException domain ? domain.kind().slug().replace('-', '_') : "error";
    Counter.builder("webstore.payment.operations").tag("operation", operation).tag("outcome", outcome)
        .register(meters).increment();
  }

  private static String required(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String value) || value.isBlank()) {
      throw Validation.of("/" + field, field + " must be a non-empty string");
    }
    return value;
  }
}
