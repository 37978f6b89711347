package io.webstore.inventory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Validation;
import io.webstore.platform.feeds.FeedOutcome;
import io.webstore.platform.metrics.MeterCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Applies a batch of {@code supply.inventory} records ({@code {"sku", "warehouse", "on_hand", "sequence"}}, the
 * absolute on-hand of a SKU in a warehouse) and answers one {@link FeedOutcome} per record, in order, once every
 * applied record is durable. Within a batch only the highest sequence per SKU and warehouse is written (the lower
 * ones are stale by then anyway), and the stock those records need is read for the batch at once; SKUs the catalog
 * does not know, negative counts, bad warehouse ids and negative sequences are rejected. Any write that fails fails the
 * whole batch: the sender resends it, and every write is conditional on the sequence, so the resend applies exactly
 * what is still missing.
 */
final class InventoryFeed {

  /** The catalog's SKU syntax: anything else names no product. */
  private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final int MAX_ON_HAND = 1_000_000_000;
  private static final int MAX_RECORDS = 1_000;

  /** One record that passed the checks, at its index in the batch. */
  private record Item(int index, String sku, String warehouse, int onHand, long sequence) {}

  private final Inventory inventory;
  private final KnownSkus catalog;
  private final int concurrency;
  private final MeterRegistry meters;

  InventoryFeed(Inventory inventory, KnownSkus catalog, int concurrency, MeterRegistry meters) {
    this.inventory = inventory;
    this.catalog = catalog;
    this.concurrency = concurrency;
    this.meters = meters;
  }

  Future<JsonObject> apply(JsonObject body) {
    JsonArray records = body.getJsonArray("records");
    if (records == null || records.size() > MAX_RECORDS) {
      throw Validation.of("/records", "records must be an array of at most " + MAX_RECORDS + " records");
    }
    Timer.Sample sample = Timer.start(meters);
    FeedOutcome[] outcomes = new FeedOutcome[records.size()];
    Map<String, Item> newest = new LinkedHashMap<>(); // per sku and warehouse, the record to write
    for (int i = 0; i < records.size(); i++) {
      if (!(records.getValue(i) instanceof JsonObject record)) {
        outcomes[i] = FeedOutcome.rejected("invalid-record: not a JSON object");
        continue;
      }
      Item item = check(i, record, outcomes);
      if (item == null) {
        continue;
      }
      Item before = newest.get(item.sku() + "\n" + item.warehouse());
      if (before == null || item.sequence() >= before.sequence()) {
        newest.put(item.sku() + "\n" + item.warehouse(), item);
        if (before != null) {
          outcomes[before.index()] = FeedOutcome.stale(); // superseded within the batch
        }
      } else {
        outcomes[item.index()] = FeedOutcome.stale();
      }
    }
    List<Item> toWrite = List.copyOf(newest.values());
    return catalog.unknown(toWrite.stream().map(Item::sku).distinct().toList())
        .compose(unknown -> {
          List<Item> known = new ArrayList<>();
          for (Item item : toWrite) {
            if (unknown.contains(item.sku())) {
              outcomes[item.index()] = FeedOutcome.rejected("unknown-sku: " + item.sku());
            } else {
              known.add(item);
            }
          }
          return inventory.applyFeed(known.stream()
                  .map(item -> new Inventory.FeedRecord(item.sku(), item.warehouse(), item.onHand(), item.sequence()))
                  .toList(), concurrency)
              .map(applied -> {
                for (int i = 0; i < known.size(); i++) {
                  outcomes[known.get(i).index()] = applied.get(i) ? FeedOutcome.applied() : FeedOutcome.stale();
                }
                return null;
              });
        })
        .map(done -> {
          List<FeedOutcome> answered = Arrays.asList(outcomes);
          answered.forEach(this::count);
          return FeedOutcome.reply(answered);
        })
        .andThen(done -> sample.stop(MeterCache.of(meters).timer("webstore.inventory.feed.batch",
            "outcome", done.succeeded() ? "success" : "failure")));
  }

  /** The record as an item, or null with its rejection set. */
  private static Item check(int index, JsonObject record, FeedOutcome[] outcomes) {
    Object sku = record.getValue("sku");
    Object warehouse = record.getValue("warehouse");
    Object onHand = record.getValue("on_hand");
    Object sequence = record.getValue("sequence");
    String reason = null;
    if (!(sku instanceof String text) || !SKU.matcher(text).matches()) {
      reason = "unknown-sku: " + sku;
    } else if (!(warehouse instanceof String id) || !InventorySettings.WAREHOUSE.matcher(id).matches()) {
      reason = "invalid-warehouse: " + warehouse;
    } else if (!isWhole(onHand) || ((Number) onHand).longValue() < 0
        || ((Number) onHand).longValue() > MAX_ON_HAND) {
      reason = "invalid-on-hand: " + onHand;
    } else if (!isWhole(sequence) || ((Number) sequence).longValue() < 0) {
      reason = "invalid-sequence: " + sequence;
    }
    if (reason != null) {
      outcomes[index] = FeedOutcome.rejected(reason);
      return null;
    }
    return new Item(index, (String) sku, (String) warehouse, ((Number) onHand).intValue(),
        ((Number) sequence).longValue());
  }

  private static boolean isWhole(Object value) {
    return value instanceof Integer || value instanceof Long
        || value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
        && Math.abs(number.doubleValue()) < 9e15;
  }

  private void count(FeedOutcome outcome) {
    String reason = outcome.reason().isEmpty() ? "none" : outcome.reason().split(":", 2)[0];
    MeterCache.of(meters).counter("webstore.inventory.feed.records",
        "outcome", outcome.status().name().toLowerCase(java.util.Locale.ROOT), "reason", reason).increment();
  }
}
