package io.webstore.feeds;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.catalog.DemoSkus;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Writes a large feed file for load ({@code make feed-sample TOPIC=... N=... [SKUS=...] [OUT=...]}), streaming: one
 * line at a time, whatever {@code N}. Sequences start at a base taken from the clock (microseconds) and rise by one per
 * record of the same entity (SKU and warehouse; SKU; order), so a file generated later supersedes one generated before
 * and nothing in a fresh file is stale on arrival.
 *
 * <p>Which entities: {@code SKUS=demo} the demo catalog's 529 SKUs (they exist in every {@code make run} store);
 * {@code SKUS=<n>} generated ids {@code SKU-LOAD-000001} to {@code n} ({@link #loadSkus}), which the store knows only
 * once their products are fed: {@code make feed-sample TOPIC=pim.products N=<n>} writes exactly those products. The
 * ingestion rejects inventory for an unknown SKU (to the DLQ), so {@code supply.inventory} defaults to the demo SKUs
 * and {@code pim.products} to {@code N} new generated products. {@code supply.order-status} records name generated
 * order ids ({@code ord_load_<n>}) that no checkout made: they exercise the DLQ path unless such orders exist.
 */
public final class FeedSample {

  static final String DEMO = "demo";
  static final List<String> WAREHOUSES = List.of("WH-EAST", "WH-WEST", "WH-NORTH", "WH-SOUTH");
  private static final List<String> CATEGORIES = List.of("electronics", "books", "home-kitchen", "garden", "toys",
      "sports", "fashion", "beauty", "grocery", "automotive", "office", "pets");
  private static final List<String> STATUSES = List.of("paid", "fulfilling", "shipped", "delivered");

  /**
   * What to generate.
   *
   * @param topic one of the three feed topics
   * @param records how many lines
   * @param skus {@value #DEMO} or a number of generated SKUs (orders, for {@code supply.order-status}); null: the
   *     topic's default
   * @param sequenceBase the first sequence of every entity, minus one
   * @param seed the random source's seed (on-hand counts, prices): the same spec gives the same file
   */
  public record Spec(String topic, long records, String skus, long sequenceBase, long seed) {

    public Spec {
      Objects.requireNonNull(topic, "topic");
      if (!FeedCommand.TOPIC_KEYS.containsKey(topic)) {
        throw new IllegalArgumentException("unknown topic " + topic + "; one of "
            + FeedCommand.TOPIC_KEYS.keySet().stream().sorted().toList());
      }
      if (records < 0) {
        throw new IllegalArgumentException("N must be 0 or more (got " + records + ")");
      }
    }

    /** Today's sequence base: microseconds since the epoch, so files generated later win. */
    public static Spec of(String topic, long records, String skus) {
      return new Spec(topic, records, skus, System.currentTimeMillis() * 1000, 20_261_129L);
    }
  }

  private FeedSample() {}

  /** The generated SKUs {@code SKU-LOAD-000001} to {@code count}. */
  public static List<String> loadSkus(int count) {
    List<String> skus = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      skus.add(loadSku(i));
    }
    return skus;
  }

  /** The ids the spec's records name (SKUs or order ids), in the order the records cycle through them. */
  public static List<String> entities(Spec spec) {
    String skus = spec.skus();
    boolean orders = spec.topic().equals("supply.order-status");
    if (skus == null || skus.isBlank()) {
      skus = spec.topic().equals("supply.inventory") ? DEMO : Long.toString(Math.max(1, spec.records()));
    }
    if (skus.equals(DEMO)) {
      if (orders) {
        throw new IllegalArgumentException("SKUS=demo names SKUs; order-status records need SKUS=<number of orders>");
      }
      return DemoSkus.all();
    }
    int count;
    try {
      count = Integer.parseInt(skus);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SKUS must be demo or a number (got " + skus + ")");
    }
    if (count < 1) {
      throw new IllegalArgumentException("SKUS must be at least 1 (got " + count + ")");
    }
    if (orders) {
      List<String> ids = new ArrayList<>(count);
      for (int i = 1; i <= count; i++) {
        ids.add(String.format(Locale.ROOT, "ord_load_%06d", i));
      }
      return ids;
    }
    return loadSkus(count);
  }

  /** Writes the spec's records to {@code out} (replacing it); returns how many lines were written. */
  public static long write(Spec spec, Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      return write(spec, writer);
    }
  }

  /** Writes the spec's records, one JSON object a line. */
  public static long write(Spec spec, Writer writer) throws IOException {
    List<String> ids = entities(spec);
    Random random = new Random(spec.seed());
    int perEntity = spec.topic().equals("supply.inventory") ? WAREHOUSES.size() : 1;
    long[] sequences = new long[ids.size() * perEntity]; // per (sku, warehouse), or per entity
    for (long i = 0; i < spec.records(); i++) {
      int entity = (int) (i % ids.size());
      int lane = (int) (i / ids.size() % perEntity);
      long sequence = spec.sequenceBase() + ++sequences[entity * perEntity + lane];
      String id = ids.get(entity);
      JsonObject record = switch (spec.topic()) {
        case "supply.inventory" -> new JsonObject().put("sku", id).put("warehouse", WAREHOUSES.get(lane))
            .put("on_hand", random.nextInt(501)).put("sequence", sequence);
        case "pim.products" -> product(id, sequence, random);
        case "supply.order-status" -> orderStatus(id, sequence, sequences[entity]);
        default -> throw new IllegalStateException(spec.topic());
      };
      writer.write(record.encode());
      writer.write('\n');
    }
    return spec.records();
  }

  private static JsonObject product(String sku, long sequence, Random random) {
    String category = CATEGORIES.get(Math.floorMod(sku.hashCode(), CATEGORIES.size()));
    String price = (5 + random.nextInt(495)) + ".99";
    return new JsonObject()
        .put("sku", sku)
        .put("name", "Load test product " + sku)
        .put("description", "Generated for a feed load test.")
        .put("price", new JsonObject().put("amount", price).put("currency", "USD"))
        .put("category", category)
        .put("attributes", new JsonObject().put("brand", "Loadline").put("weight_g", 100 + random.nextInt(900)))
        .put("images", new JsonArray().add("https://images.webstore.local/products/" + sku + "/1.jpg"))
        .put("sequence", sequence)
        .put("deleted", false);
  }

  /** An order's n-th record moves it one step along paid, fulfilling, shipped, delivered, then stays delivered. */
  private static JsonObject orderStatus(String orderId, long sequence, long nth) {
    String status = STATUSES.get((int) Math.min(nth, STATUSES.size()) - 1);
    JsonObject record = new JsonObject().put("order_id", orderId).put("status", status).put("sequence", sequence);
    return status.equals("shipped") ? record.put("tracking", "TRK-" + orderId) : record;
  }

  private static String loadSku(int n) {
    return String.format(Locale.ROOT, "SKU-LOAD-%06d", n);
  }

  /**
   * {@code make feed-sample}: system properties {@code feed.topic}, {@code feed.records} (N), {@code feed.skus}
   * (SKUS), {@code feed.out} (OUT, default {@code target/feed-sample.jsonl}). Exit 2 on a bad argument.
   */
  public static void main(String[] args) {
    String topic = System.getProperty("feed.topic", "");
    String records = System.getProperty("feed.records", "");
    Path out = Path.of(System.getProperty("feed.out", "target/feed-sample.jsonl"));
    Spec spec;
    try {
      spec = Spec.of(topic, Long.parseLong(records.replace("_", "")), System.getProperty("feed.skus"));
      entities(spec); // a bad SKUS fails here, before the file is touched
    } catch (NumberFormatException e) {
      System.err.println("feed-sample: N must be a number of records (got " + records + ")");
      System.err.println("usage: make feed-sample TOPIC=supply.inventory N=1000000 [SKUS=demo|<n>]"
          + " [OUT=target/feed-sample.jsonl]");
      System.exit(2);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("feed-sample: " + e.getMessage());
      System.exit(2);
      return;
    }
    long started = System.nanoTime();
    try {
      write(spec, out);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("feed-sample: could not write " + out + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    List<String> ids = entities(spec);
    System.out.printf(Locale.ROOT, "feed-sample: %,d %s records over %,d %s in %.1f s (%,.0f records/s) -> %s%n",
        spec.records(), spec.topic(), ids.size(), spec.topic().equals("supply.order-status") ? "orders" : "SKUs",
        seconds, spec.records() / Math.max(seconds, 1e-9), out);
    System.out.println("feed-sample: send it with make feed TOPIC=" + spec.topic() + " FILE=" + out);
    System.exit(0);
  }
}
