package io.webstore.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Landed;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * {@link ProductStore} on a DynamoDB table keyed by {@code sku}. The price is kept as a decimal string (exact);
 * attributes as a JSON string, so whatever JSON the contract allows comes back unchanged. A product from the feed
 * carries {@value #SEQUENCE}; a tombstone is an item with only {@code sku}, {@value #SEQUENCE} and {@value #DELETED}
 * (true).
 */
final class DynamoProductStore implements ProductStore {

  static final String SEQUENCE = "sequence";
  static final String DELETED = "deleted";

  private final DynamoTable table;
  private final int batchesInFlight;

  DynamoProductStore(DynamoTable table, int batchesInFlight) {
    this.table = table;
    this.batchesInFlight = batchesInFlight;
  }

  @Override
  public Future<Optional<Product>> find(String sku) {
    return table.get("getItem", key(sku))
        .map(item -> item.filter(found -> !isTombstone(found)).map(DynamoProductStore::fromItem));
  }

  /**
   * Creates the product when it is absent (a conditional put: a retried create whose reply was lost is recognized by
   * its write id, so it still reports "created"), else replaces its fields by an update, which keeps the stored feed
   * sequence (a tombstone becomes a product again, with the tombstone's sequence).
   */
  @Override
  public Future<Boolean> put(Product product) {
    Map<String, AttributeValue> item = toItem(product);
    return table.put("createItem", item, Condition.absent("sku"))
        .map(true)
        .recover(err -> err instanceof ConditionFailed failed
            ? table.update("replaceItem", key(product.sku()), replacing(item), Condition.NONE)
                .map(failed.current().map(DynamoProductStore::isTombstone).orElse(true))
            : Future.failedFuture(err));
  }

  /** SET of every field of the product (so nothing of the replaced one is left), REMOVE of a tombstone's mark. */
  private static Update replacing(Map<String, AttributeValue> item) {
    Update update = Update.create().remove("#deleted").name("#deleted", DELETED);
    int field = 0;
    for (Map.Entry<String, AttributeValue> entry : item.entrySet()) {
      if (!entry.getKey().equals("sku")) {
        update.set("#f" + field + " = :f" + field).name("#f" + field, entry.getKey()).value(":f" + field,
            entry.getValue());
        field++;
      }
    }
    return update;
  }

  /**
   * Deletes an existing product. The product is first tagged with this delete's write id, then deleted on that tag:
   * a delete whose reply was lost is then told apart from a product that was never there. A product with a feed
   * sequence becomes a tombstone with that sequence instead, so that older feed records stay stale.
   */
  @Override
  public Future<Void> delete(String sku) {
    return table.update("tagForDelete", key(sku), Update.create(),
            Condition.of("attribute_exists(#key) AND attribute_not_exists(#deleted)")
                .name("#key", "sku").name("#deleted", DELETED))
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed ? new NotFound("product", sku) : err))
        .compose(tagged -> {
          Condition onTag = Condition.of("#write_id = :tag").name("#write_id", DynamoTable.WRITE_ID)
              .value(":tag", tagged.get(DynamoTable.WRITE_ID));
          return tagged.containsKey(SEQUENCE)
              ? table.put("tombstoneItem", tombstone(sku, tagged.get(SEQUENCE)), onTag,
                  Landed.whenItem(DynamoProductStore::isTombstone)).<Void>mapEmpty()
              : table.delete("deleteItem", key(sku), onTag, Landed.whenAbsent());
        })
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new Conflict("product " + sku + " changed while it was being deleted; retry")
            : err));
  }

  @Override
  public Future<FeedWrite> putIfNewer(Product product, long sequence) {
    Map<String, AttributeValue> item = toItem(product);
    item.put(SEQUENCE, AttributeValue.fromN(Long.toString(sequence)));
    return sequenced("feedPut", item, sequence);
  }

  @Override
  public Future<FeedWrite> deleteIfNewer(String sku, long sequence) {
    return sequenced("feedDelete", tombstone(sku, AttributeValue.fromN(Long.toString(sequence))), sequence);
  }

  /**
   * Puts the whole item when its sequence is newer than the stored one. When the condition fails, the item read back
   * tells an earlier delivery of this same record (its sequence is stored: applied) from a newer one (stale).
   */
  private Future<FeedWrite> sequenced(String operation, Map<String, AttributeValue> item, long sequence) {
    String stored = Long.toString(sequence);
    return table.put(operation, item,
            Condition.of("attribute_not_exists(#sequence) OR #sequence < :sequence")
                .name("#sequence", SEQUENCE).value(":sequence", AttributeValue.fromN(stored)),
            Landed.whenItem(current -> current.containsKey(SEQUENCE)
                && Long.parseLong(current.get(SEQUENCE).n()) == sequence))
        .map(written -> new FeedWrite(true, isTombstone(written) ? null : fromItem(written)))
        .recover(err -> err instanceof ConditionFailed
            ? Future.succeededFuture(FeedWrite.STALE)
            : Future.failedFuture(err));
  }

  private static Map<String, AttributeValue> tombstone(String sku, AttributeValue sequence) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("sku", AttributeValue.fromS(sku));
    item.put(SEQUENCE, sequence);
    item.put(DELETED, AttributeValue.fromBool(true));
    return item;
  }

  static boolean isTombstone(Map<String, AttributeValue> item) {
    AttributeValue deleted = item.get(DELETED);
    return deleted != null && Boolean.TRUE.equals(deleted.bool());
  }

  @Override
  public Future<List<Product>> all() {
    return table.scanAll("scan", ScanRequest.builder().tableName(table.name()).consistentRead(true).build(),
            item -> isTombstone(item) ? null : fromItem(item))
        .map(items -> items.stream().filter(Objects::nonNull).toList());
  }

  @Override
  public Future<Set<String>> skus() {
    return table.scanAll("scan", ScanRequest.builder().tableName(table.name()).projectionExpression("sku").build(),
            item -> item.get("sku").s())
        .map(HashSet::new);
  }

  @Override
  public Future<Void> putAll(List<Product> products) {
    return table.batchPut(products.stream().map(DynamoProductStore::toItem).toList(), batchesInFlight);
  }

  private static Map<String, AttributeValue> key(String sku) {
    return Map.of("sku", AttributeValue.fromS(sku));
  }

  static Map<String, AttributeValue> toItem(Product product) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("sku", AttributeValue.fromS(product.sku()));
    item.put("name", AttributeValue.fromS(product.name()));
    item.put("description", AttributeValue.fromS(product.description()));
    item.put("price_amount", AttributeValue.fromS(product.price().text()));
    item.put("currency", AttributeValue.fromS(product.price().currency()));
    item.put("category", AttributeValue.fromS(product.category()));
    item.put("attributes", AttributeValue.fromS(new JsonObject(product.attributes()).encode()));
    item.put("images", AttributeValue.fromL(product.images().stream().map(AttributeValue::fromS).toList()));
    item.put("revision", AttributeValue.fromS(product.revision()));
    item.put("updated_at", AttributeValue.fromS(product.updatedAt().toString()));
    return item;
  }

  static Product fromItem(Map<String, AttributeValue> item) {
    return new Product(
        item.get("sku").s(),
        item.get("name").s(),
        item.containsKey("description") ? item.get("description").s() : "",
        Amount.price(item.get("price_amount").s(), item.get("currency").s()),
        item.get("category").s(),
        item.containsKey("attributes") ? new JsonObject(item.get("attributes").s()).getMap() : Map.of(),
        item.containsKey("images") ? item.get("images").l().stream().map(AttributeValue::s).toList() : List.of(),
        item.get("revision").s(),
        item.containsKey("updated_at") ? Instant.parse(item.get("updated_at").s()) : Instant.EPOCH);
  }
}
