package io.webstore.payment;

import io.webstore.platform.money.Amount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.AmountJson;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the payment addresses {@value PaymentClient#AUTHORIZE} and {@value PaymentClient#VOID} and hands them to the configured {@link
 * PaymentGateway}. Logs carry keys and outcomes, never tokens.
 */
final class PaymentVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(PaymentVerticle.class);

  private final PaymentGateway gateway;
  private final MeterRegistry meters;

  PaymentVerticle(PaymentGateway gateway, MeterRegistry meters) {
    this.gateway = gateway;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    return Future.all(
        consumer(PaymentClient.AUTHORIZE, this::authorize),
        consumer(PaymentClient.VOID, this::voidKey));
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
        .andThen(result -> count("authorizations", result))
        .onSuccess(auth -> log.info("payment.authorized key={} amount={}", key, amount))
        .onFailure(err -> log.info("payment.not_authorized key={} reason={}", key, err.getClass().getSimpleName()))
        .map(PaymentJson::authorization);
  }

  private Future<JsonObject> voidKey(JsonObject body) {
    String key = required(body, "key");
    return gateway.voidAuthorization(key)
        .andThen(result -> count("voids", result))
        .onSuccess(status -> log.info("payment.voided key={} status={}", key, status.wire()))
        .map(status -> new JsonObject().put("key", key).put("status", status.wire()));
  }

  private void count(String what, AsyncResult<?> result) {
    String outcome = result.succeeded() ? "success" : result.cause().getClass().getSimpleName();
    Counter.builder("webstore.payment." + what).tag("outcome", outcome).register(meters).increment();
  }

  private static String required(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String value) || value.isBlank()) {
      throw Validation.of("/" + field, field + " must be a non-empty string");
    }
    return value;
  }
}
