package io.webstore.payment;

import static io.webstore.platform.dynamo.Attrs.s;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Validation;
import io.webstore.platform.money.Amount;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The provider's webhooks: verified ({@link WebhookVerifier}) before anything is read from them, recorded once per
 * event id in the {@code payments} table (item {@code webhook#<provider>#<event id>}, a conditional put), then applied
 * to the payment record they name ({@link DynamoPaymentGateway#apply}) and the outcome noted on the event's item. A
 * redelivered event is answered as a duplicate with the outcome noted and changes nothing; one whose application never
 * finished (no outcome noted) is applied again, which is safe because applying is idempotent.
 *
 * <h2>Event shape</h2>
 * <pre>
 * {"id": "evt_...", "type": "payment.authorized" | "payment.captured" | "payment.voided" | "payment.failed"
 *                          | "payment.refunded",
 *  "data": {"payment_key": "pay_...", "reference"?: "...", "amount"?: "12.34", "currency"?: "EUR",
 *           "decline_code"?: "insufficient_funds", "operation_key"?: "pay_...:refund:2"}}
 * </pre>
 * The answer is 200 {@code {"received": true, "duplicate", "outcome"}} for every verified event, with {@code outcome}
 * {@code applied}, {@code already_applied}, {@code illegal_transition} (the record is left as it is; logged and
 * counted), {@code unknown_payment} (no record has the key: ignored, so the provider stops resending; counted) or
 * {@code ignored_type}. Counted as {@code webstore.payment.webhook.events{type, outcome}}.
 */
final class Webhooks {

  /** The key prefix of the recorded events in the payments table. */
  static final String PREFIX = "webhook#";

  private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
  private static final Set<String> TYPES = Set.of(ProviderEvent.AUTHORIZED, ProviderEvent.CAPTURED,
      ProviderEvent.VOIDED, ProviderEvent.FAILED, ProviderEvent.REFUNDED);

  private final DynamoTable table;
  private final WebhookVerifier verifier;
  private final DynamoPaymentGateway payments;
  private final MeterRegistry meters;
  private final Clock clock;

  Webhooks(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters, WebhookVerifier verifier,
      DynamoPaymentGateway payments, Clock clock) {
    this.table = DynamoTable.of(vertx, dynamo, meters, "webstore.payment.dynamo.calls", table, "pk");
    this.verifier = verifier;
    this.payments = payments;
    this.meters = meters;
    this.clock = clock;
  }

  /** {@code {"received": true, "duplicate", "outcome"}}; Unauthorized before anything is read or written. */
  Future<JsonObject> receive(String provider, String timestamp, String signature, String body) {
    verifier.verify(timestamp, signature, body.getBytes(StandardCharsets.UTF_8));
    JsonObject event;
    try {
      event = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw Validation.of("/", "a webhook body must be a JSON object");
    }
    if (!(event.getValue("id") instanceof String id) || id.isBlank() || id.length() > 200) {
      throw Validation.of("/id", "id must be a non-empty string of at most 200 characters");
    }
    if (!(event.getValue("type") instanceof String type) || type.isBlank() || type.length() > 100) {
      throw Validation.of("/type", "type must be a non-empty string of at most 100 characters");
    }
    JsonObject data = event.getValue("data") instanceof JsonObject object ? object : new JsonObject();
    ProviderEvent parsed = new ProviderEvent(id, type, text(data, "payment_key"), text(data, "reference"),
        amount(data), text(data, "decline_code"), Optional.of(text(data, "operation_key")).filter(k -> !k.isEmpty()));
    Map<String, AttributeValue> item = new HashMap<>();
    Map<String, AttributeValue> key = Map.of("pk", s(PREFIX + provider + "#" + id));
    item.putAll(key);
    item.put("event_type", s(type));
    item.put("received_at", s(clock.instant().toString()));
    if (!parsed.paymentKey().isBlank()) {
      item.put("payment_key", s(parsed.paymentKey()));
    }
    return table.put("webhook", item, Condition.absent("pk"))
        .map(recorded -> Optional.<String>empty())
        .recover(err -> err instanceof ConditionFailed failed
            ? Future.succeededFuture(Optional.of(failed.current().map(current -> current.get("outcome"))
                .map(AttributeValue::s).orElse("")))
            : Future.failedFuture(err))
        .compose(seen -> {
          if (seen.isPresent() && !seen.get().isEmpty()) {
            return Future.succeededFuture(receipt(true, seen.get()));
          }
          return payments.apply(parsed)
              .compose(outcome -> table.update("webhookApplied", key, Update.create()
                      .set("outcome = :outcome").value(":outcome", s(outcome.wire())),
                      Condition.present("pk"))
                  .map(noted -> {
                    count(type, outcome);
                    return receipt(seen.isPresent(), outcome.wire());
                  }));
        });
  }

  private static JsonObject receipt(boolean duplicate, String outcome) {
    return new JsonObject().put("received", true).put("duplicate", duplicate).put("outcome", outcome);
  }

  private void count(String type, ProviderEvent.Outcome outcome) {
    if (outcome == ProviderEvent.Outcome.ILLEGAL_TRANSITION || outcome == ProviderEvent.Outcome.UNKNOWN_PAYMENT) {
      log.warn("payment.webhook.not_applied type={} outcome={}", type, outcome.wire());
    }
    Counter.builder("webstore.payment.webhook.events").tag("type", TYPES.contains(type) ? type : "other")
        .tag("outcome", outcome.wire()).register(meters).increment();
  }

  private static String text(JsonObject data, String field) {
    return data.getValue(field) instanceof String value ? value : "";
  }

  private static Optional<Amount> amount(JsonObject data) {
    if (!(data.getValue("amount") instanceof String value)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Amount.of(value, text(data, "currency")));
    } catch (RuntimeException e) {
      throw Validation.of("/data/amount", "amount must be a decimal string with a currency");
    }
  }
}
