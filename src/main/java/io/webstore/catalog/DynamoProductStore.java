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
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * {@link ProductStore} on a DynamoDB table keyed by {@code sku}. The price is kept as a decimal string (exact);
 * attributes as a JSON string, so whatever JSON the contract allows comes back unchanged.
 */
final class DynamoProductStore implements ProductStore {

  private final DynamoTable table;
  private final int batchesInFlight;

  DynamoProductStore(DynamoTable table, int batchesInFlight) {
    this.table = table;
    this.batchesInFlight = batchesInFlight;
  }

  @Override
  public Future<Optional<Product>> find(String sku) {
    return table.get("getItem", key(sku)).map(item -> item.map(DynamoProductStore::fromItem));
  }

  /**
   * Creates the product when it is absent (a conditional put: a retried create whose reply was lost is recognized by
   * its write id, so it still reports "created"), else replaces it.
   */
  @Override
  public Future<Boolean> put(Product product) {
    Map<String, AttributeValue> item = toItem(product);
    return table.put("createItem", item, Condition.absent("sku"))
        .map(true)
        .recover(err -> err instanceof ConditionFailed
            ? table.put("replaceItem", item, Condition.NONE).map(false)
            : Future.failedFuture(err));
  }

  /**
   * Deletes an existing product. The product is first tagged with this delete's write id, then deleted on that tag:
   * a delete whose reply was lost is then told apart from a product that was never there.
   */
  @Override
  public Future<Void> delete(String sku) {
    return table.update("tagForDelete", key(sku), Update.create(), Condition.present("sku"))
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed ? new NotFound("product", sku) : err))
        .compose(tagged -> table.delete("deleteItem", key(sku),
            Condition.of("#write_id = :tag").name("#write_id", DynamoTable.WRITE_ID)
                .value(":tag", tagged.get(DynamoTable.WRITE_ID)),
            Landed.whenAbsent()))
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new Conflict("product " + sku + " changed while it was being deleted; retry")
            : err));
  }

  @Override
  public Future<List<Product>> all() {
    return table.scanAll("scan", ScanRequest.builder().tableName(table.name()).consistentRead(true).build(),
        DynamoProductStore::fromItem);
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
