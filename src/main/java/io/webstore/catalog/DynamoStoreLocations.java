package io.webstore.catalog;

import io.vertx.core.Future;
import io.webstore.platform.dynamo.DynamoTable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** {@link StoreLocations} on a DynamoDB table keyed by {@code id}. */
final class DynamoStoreLocations implements StoreLocations {

  private final DynamoTable table;
  private final int batchesInFlight;

  DynamoStoreLocations(DynamoTable table, int batchesInFlight) {
    this.table = table;
    this.batchesInFlight = batchesInFlight;
  }

  @Override
  public Future<List<StoreLocation>> all() {
    return table.scanAll("scan", ScanRequest.builder().tableName(table.name()).build(), DynamoStoreLocations::fromItem);
  }

  @Override
  public Future<Set<String>> ids() {
    return table.scanAll("scan", ScanRequest.builder().tableName(table.name()).projectionExpression("id").build(),
        item -> item.get("id").s()).map(HashSet::new);
  }

  @Override
  public Future<Void> putAll(List<StoreLocation> stores) {
    return table.batchPut(stores.stream().map(DynamoStoreLocations::toItem).toList(), batchesInFlight);
  }

  private static Map<String, AttributeValue> toItem(StoreLocation store) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("id", AttributeValue.fromS(store.id()));
    item.put("name", AttributeValue.fromS(store.name()));
    item.put("street", AttributeValue.fromS(store.street()));
    item.put("city", AttributeValue.fromS(store.city()));
    item.put("region", AttributeValue.fromS(store.region()));
    item.put("postal_code", AttributeValue.fromS(store.postalCode()));
    item.put("country", AttributeValue.fromS(store.country()));
    item.put("latitude", AttributeValue.fromN(Double.toString(store.latitude())));
    item.put("longitude", AttributeValue.fromN(Double.toString(store.longitude())));
    item.put("phone", AttributeValue.fromS(store.phone()));
    return item;
  }

  private static StoreLocation fromItem(Map<String, AttributeValue> item) {
    return new StoreLocation(item.get("id").s(), item.get("name").s(), item.get("street").s(),
        item.get("city").s(), item.get("region").s(), item.get("postal_code").s(), item.get("country").s(),
        Double.parseDouble(item.get("latitude").n()), Double.parseDouble(item.get("longitude").n()),
        item.get("phone").s());
  }
}
