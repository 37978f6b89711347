package io.webstore.catalog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Validation;
import io.webstore.platform.events.EventType;
import io.webstore.platform.events.Events;
import io.webstore.platform.feeds.FeedOutcome;
import io.webstore.platform.resilience.Lanes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Applies batches of {@code pim.products} records (the {@link CatalogClient#FEED} address). A record is a product
 * document as the admin PUT takes it, plus {@code sku}, {@code sequence} (monotonic per SKU) and {@code deleted}.
 *
 * <ol>
 *   <li>Each record is checked by the admin PUT's own rules ({@link CatalogRequests#product}); one that breaks them is
 *       rejected as {@code invalid-product: <pointer> <rule>; ...} (a record that is not an object, or whose
 *       {@code sequence} or {@code deleted} has the wrong type, as {@code invalid-record: ...}). A delete needs no
 *       document.
 *   <li>Records of one SKU are coalesced: the highest sequence is written, the others of the batch are stale.
 *   <li>Each SKU is written on its own, conditional on the stored sequence ({@link ProductStore#putIfNewer},
 *       {@link ProductStore#deleteIfNewer}), a few at a time; an older sequence than the stored one is stale, the
 *       stored one again (a replay) applied.
 *   <li>Once every write is durable, the caches are brought up to date the way an admin write does it
 *       ({@link CatalogReloader#productsWritten}: this instance, Redis, the other instances, {@code
 *       events.catalog.changed}), once per batch rather than per record; then {@code webstore.product.changed} is
 *       published on the local bus for each applied record, its id derived from SKU and sequence so that a replay
 *       repeats the same id.
 * </ol>
 *
 * A write or cache failure fails the whole batch: the sender sends it again, and every step above is idempotent.
 */
final class CatalogFeed {

  static final String RECORDS = "webstore.catalog.feed.records";
  static final String BATCHES = "webstore.catalog.feed.batches";
  private static final List<String> RECORD_FIELDS = List.of("sku", "sequence", "deleted");

  private final ProductStore store;
  private final CatalogReloader reloader;
  private final EventBus bus;
  private final Clock clock;
  private final int writesInFlight;
  private final MeterRegistry meters;
  private final Counter applied;
  private final Counter stale;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Timer batches;

  CatalogFeed(ProductStore store, CatalogReloader reloader, EventBus bus, Clock clock, int writesInFlight,
      MeterRegistry meters) {
    this.store = store;
    this.reloader = reloader;
    this.bus = bus;
    this.clock = clock;
    this.writesInFlight = writesInFlight;
    this.meters = meters;
    this.applied = records("applied", "none");
    this.stale = records("stale", "none");
    this.batches = Timer.builder(BATCHES).description("applying one batch of pim.products records, caches included")
        .register(meters);
  }

  /** One change a valid record asks for: {@code product} null for a delete. */
  private record Change(int index, String sku, long sequence, Product product) {}

  /** The outcome of each record of {@code records}, in their order, once every applied one is durable. */
  Future<List<FeedOutcome>> apply(JsonArray records) {
    Timer.Sample sample = Timer.start(meters);
    Instant now = clock.instant();
    FeedOutcome[] outcomes = new FeedOutcome[records.size()];
    Map<String, Change> winners = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      Change change;
      try {
        change = change(i, records.getValue(i), now);
      } catch (Validation invalid) {
        outcomes[i] = FeedOutcome.rejected(invalid.getMessage());
        continue;
      }
      Change previous = winners.get(change.sku());
      if (previous == null || change.sequence() >= previous.sequence()) {
        winners.put(change.sku(), change);
        if (previous != null) {
          outcomes[previous.index()] = FeedOutcome.stale(); // coalesced: a later record of the batch wins
        }
      } else {
        outcomes[i] = FeedOutcome.stale();
      }
    }
    List<Change> changes = List.copyOf(winners.values());
    Map<String, ProductStore.FeedWrite> written = new HashMap<>(changes.size() * 2);
    return Lanes.each(changes, writesInFlight, change -> write(change)
            .onSuccess(result -> written.put(change.sku(), result)))
        .compose(durable -> {
          Map<String, ProductEntry> entries = new LinkedHashMap<>();
          for (Change change : changes) {
            ProductStore.FeedWrite result = written.get(change.sku());
            outcomes[change.index()] = result.applied() ? FeedOutcome.applied() : FeedOutcome.stale();
            if (result.applied()) {
              entries.put(change.sku(), ProductEntry.of(result.stored()));
            }
          }
          return reloader.productsWritten(entries);
        })
        .map(announced -> {
          for (Change change : changes) {
            if (outcomes[change.index()].status() == FeedOutcome.Status.APPLIED) {
              Events.publishLocally(bus, changed(change, now));
            }
          }
          List<FeedOutcome> result = Arrays.asList(outcomes);
          result.forEach(this::count);
          return result;
        })
        .andThen(done -> sample.stop(batches));
  }

  private Future<ProductStore.FeedWrite> write(Change change) {
    return change.product() == null
        ? store.deleteIfNewer(change.sku(), change.sequence())
        : store.putIfNewer(change.product(), change.sequence());
  }

  /** The change a record asks for; a Validation whose message is the rejection reason when it asks for none. */
  private static Change change(int index, Object value, Instant now) {
    if (!(value instanceof JsonObject record)) {
      throw reject("invalid-record: a record is a JSON object");
    }
    Object sequence = record.getValue("sequence");
    if (!(sequence instanceof Integer || sequence instanceof Long) || ((Number) sequence).longValue() < 0) {
      throw reject("invalid-record: sequence must be a non-negative integer");
    }
    Object deleted = record.getValue("deleted", false);
    if (!(deleted instanceof Boolean)) {
      throw reject("invalid-record: deleted must be a boolean");
    }
    try {
      String sku = CatalogRequests.sku(record);
      if ((Boolean) deleted) {
        return new Change(index, sku, ((Number) sequence).longValue(), null);
      }
      JsonObject document = new JsonObject();
      record.forEach(field -> {
        if (!RECORD_FIELDS.contains(field.getKey())) {
          document.put(field.getKey(), field.getValue());
        }
      });
      return new Change(index, sku, ((Number) sequence).longValue(), CatalogRequests.product(sku, document, now));
    } catch (Validation invalid) {
      throw reject("invalid-product: " + invalid.errors().stream()
          .map(JsonObject.class::cast)
          .map(error -> error.getString("pointer") + " " + error.getString("detail"))
          .collect(Collectors.joining("; ")));
    }
  }

  private static Validation reject(String reason) {
    return Validation.of("", reason);
  }

  /** {@code webstore.product.changed}; the id is the same for every delivery of one record. */
  private static io.cloudevents.CloudEvent changed(Change change, Instant now) {
    String id = UUID.nameUUIDFromBytes((EventType.PRODUCT_CHANGED.type() + "/" + change.sku() + "/"
        + change.sequence()).getBytes(StandardCharsets.UTF_8)).toString();
    return Events.create(id, EventType.PRODUCT_CHANGED, change.sku(), now, new JsonObject()
        .put("sku", change.sku())
        .put("change", change.product() == null ? "delete" : "put"));
  }

  private void count(FeedOutcome outcome) {
    switch (outcome.status()) {
      case APPLIED -> applied.increment();
      case STALE -> stale.increment();
      case REJECTED -> {
        String reason = outcome.reason();
        int colon = reason.indexOf(':');
        rejected.computeIfAbsent(colon < 0 ? reason : reason.substring(0, colon), code -> records("rejected", code))
            .increment();
      }
    }
  }

  private Counter records(String outcome, String reason) {
    return Counter.builder(RECORDS).description("pim.products records by outcome and reason")
        .tag("outcome", outcome).tag("reason", reason).register(meters);
  }

  /** Lists the records of a feed request; a request without its records array is a bad request as a whole. */
  static JsonArray batch(JsonObject request, int max) {
    Object records = request == null ? null : request.getValue("records");
    if (!(records instanceof JsonArray array) || array.size() > max) {
      throw Validation.of("/records", "records must be an array of at most " + max + " records");
    }
    return array;
  }
}
