package io.webstore.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.NotFound;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * {@link ProductStore} on a DynamoDB table keyed by {@code sku}. The price is kept as a decimal string (exact);
 * attributes as a JSON string, so whatever JSON the contract allows comes back unchanged.
 */
final class DynamoProductStore implements ProductStore {

  private final DynamoCalls dynamo;
  private final String table;

  DynamoProductStore(DynamoCalls dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public Future<Optional<Product>> find(String sku) {
    GetItemRequest request = GetItemRequest.builder().tableName(table).key(key(sku)).consistentRead(true).build();
    return dynamo.call("getItem", () -> dynamo.client().getItem(request))
        .map(response -> response.hasItem() && !response.item().isEmpty()
            ? Optional.of(fromItem(response.item()))
            : Optional.empty());
  }

  @Override
  public Future<Boolean> put(Product product) {
    PutItemRequest request = PutItemRequest.builder().tableName(table).item(toItem(product))
        .returnValues(ReturnValue.ALL_OLD).build();
    return dynamo.call("putItem", () -> dynamo.client().putItem(request))
        .map(response -> !response.hasAttributes() || response.attributes().isEmpty());
  }

  @Override
  public Future<Void> delete(String sku) {
    DeleteItemRequest request = DeleteItemRequest.builder().tableName(table).key(key(sku))
        .conditionExpression("attribute_exists(sku)").build();
    return dynamo.call("deleteItem", () -> dynamo.client().deleteItem(request))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(err instanceof ConditionalCheckFailedException
            ? new NotFound("product", sku)
            : err));
  }

  @Override
  public Future<List<Product>> all() {
    return dynamo.scanAll(ScanRequest.builder().tableName(table).consistentRead(true).build(),
        DynamoProductStore::fromItem);
  }

  @Override
  public Future<Set<String>> skus() {
    return dynamo.scanAll(ScanRequest.builder().tableName(table).projectionExpression("sku").build(),
            item -> item.get("sku").s())
        .map(HashSet::new);
  }

  @Override
  public Future<Void> putAll(List<Product> products) {
    return dynamo.batchPut(table, products.stream().map(DynamoProductStore::toItem).toList());
  }

  private static Map<String, AttributeValue> key(String sku) {
    return Map.of("sku", AttributeValue.fromS(sku));
  }

  static Map<String, AttributeValue> toItem(Product product) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("sku", AttributeValue.fromS(product.sku()));
    item.put("name", AttributeValue.fromS(product.name()));
    item.put("description", AttributeValue.fromS(product.description()));
    item.put("price_amount", AttributeValue.fromS(product.price().amountText()));
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
        Money.of(item.get("price_amount").s(), item.get("currency").s()),
        item.get("category").s(),
        item.containsKey("attributes") ? new JsonObject(item.get("attributes").s()).getMap() : Map.of(),
        item.containsKey("images") ? item.get("images").l().stream().map(AttributeValue::s).toList() : List.of(),
        item.get("revision").s(),
        item.containsKey("updated_at") ? Instant.parse(item.get("updated_at").s()) : Instant.EPOCH);
  }
}
