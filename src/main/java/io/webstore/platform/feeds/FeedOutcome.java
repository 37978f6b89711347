package io.webstore.platform.feeds;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the feature that owns a feed's records did with one of them. The feed-ingestion verticle sends a batch of
 * parsed, schema-checked records (in offset order) to the owning feature's {@code <feature>.feed} address as
 * {@code {"records": [...]}}; the feature answers {@code {"outcomes": [...]}}, one outcome per record in the same
 * order, once every applied record is durable. A failed reply means nothing of the batch may be taken as durable: the
 * verticle sends it again, so applying a record must be idempotent (conditional on its {@code sequence}).
 *
 * @param status {@link Status#APPLIED} (durable now or already by an earlier delivery of the same record),
 *     {@link Status#STALE} (a newer or equal sequence is stored: ignored), {@link Status#REJECTED} (can never apply:
 *     the record goes to the topic's dead-letter topic with {@code reason})
 * @param reason why a record was rejected, a short kebab-case code then detail ({@code unknown-sku: X}); empty
 *     otherwise
 */
public record FeedOutcome(Status status, String reason) {

  /** The three outcomes of a record. */
  public enum Status { APPLIED, STALE, REJECTED }

  public FeedOutcome {
    Objects.requireNonNull(status, "status");
    reason = reason == null ? "" : reason;
  }

  public static FeedOutcome applied() {
    return new FeedOutcome(Status.APPLIED, "");
  }

  public static FeedOutcome stale() {
    return new FeedOutcome(Status.STALE, "");
  }

  public static FeedOutcome rejected(String reason) {
    return new FeedOutcome(Status.REJECTED, reason);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("status", status.name().toLowerCase(java.util.Locale.ROOT));
    return reason.isEmpty() ? json : json.put("reason", reason);
  }

  public static FeedOutcome fromJson(JsonObject json) {
    return new FeedOutcome(Status.valueOf(json.getString("status").toUpperCase(java.util.Locale.ROOT)),
        json.getString("reason", ""));
  }

  /** The reply body of a {@code <feature>.feed} address. */
  public static JsonObject reply(List<FeedOutcome> outcomes) {
    JsonArray array = new JsonArray();
    outcomes.forEach(outcome -> array.add(outcome.toJson()));
    return new JsonObject().put("outcomes", array);
  }

  /** The outcomes of a reply body, in record order. */
  public static List<FeedOutcome> outcomes(JsonObject reply) {
    List<FeedOutcome> outcomes = new ArrayList<>();
    reply.getJsonArray("outcomes").forEach(item -> outcomes.add(fromJson((JsonObject) item)));
    return List.copyOf(outcomes);
  }
}
