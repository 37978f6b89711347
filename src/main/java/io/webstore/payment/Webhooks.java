package io.webstore.payment;

import static io.webstore.platform.dynamo.Attrs.s;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.error.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The provider's webhooks: verified ({@link WebhookVerifier}) before anything is read from them, then recorded once
 * per event id in the {@code payments} table (item {@code webhook#<provider>#<event id>}, a conditional put: a
 * redelivered event is answered as a duplicate and changes nothing). The body is {@code {"id", "type", "data"?}};
 * the record keeps the id, type and the {@code data.payment_key} it names, for reconciliation.
 */
final class Webhooks {

  private final DynamoTable table;
  private final WebhookVerifier verifier;
  private final Clock clock;

  Webhooks(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters, WebhookVerifier verifier,
      Clock clock) {
    this.table = DynamoTable.of(vertx, dynamo, meters, "webstore.payment.dynamo.calls", table, "pk");
    this.verifier = verifier;
    this.clock = clock;
  }

  /** {@code {"received": true, "duplicate"}}; Unauthorized before anything is read or written. */
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
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s("webhook#" + provider + "#" + id));
    item.put("event_type", s(type));
    item.put("received_at", s(clock.instant().toString()));
    JsonObject data = event.getValue("data") instanceof JsonObject object ? object : new JsonObject();
    if (data.getValue("payment_key") instanceof String key && !key.isBlank()) {
      item.put("payment_key", s(key));
    }
    return table.put("webhook", item, Condition.absent("pk"))
        .map(recorded -> new JsonObject().put("received", true).put("duplicate", false))
        .recover(err -> err instanceof ConditionFailed
            ? Future.succeededFuture(new JsonObject().put("received", true).put("duplicate", true))
            : Future.failedFuture(err));
  }
}
