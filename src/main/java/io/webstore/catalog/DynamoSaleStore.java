package io.webstore.catalog;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** {@link SaleStore} on a DynamoDB table keyed by {@code id}; times are epoch milliseconds (numbers, comparable). */
final class DynamoSaleStore implements SaleStore {

  private final DynamoCalls dynamo;
  private final String table;

  DynamoSaleStore(DynamoCalls dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public Future<Void> put(Sale sale) {
    PutItemRequest request = PutItemRequest.builder().tableName(table).item(toItem(sale)).build();
    return dynamo.call("putItem", () -> dynamo.client().putItem(request)).mapEmpty();
  }

  @Override
  public Future<Boolean> putIfAbsent(Sale sale) {
    PutItemRequest request = PutItemRequest.builder().tableName(table).item(toItem(sale))
        .conditionExpression("attribute_not_exists(id)").build();
    return dynamo.call("putItem", () -> dynamo.client().putItem(request))
        .map(true)
        .recover(err -> err instanceof ConditionalCheckFailedException
            ? Future.succeededFuture(false)
            : Future.failedFuture(err));
  }

  @Override
  public Future<Optional<Sale>> find(String id) {
    GetItemRequest request = GetItemRequest.builder().tableName(table)
        .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true).build();
    return dynamo.call("getItem", () -> dynamo.client().getItem(request))
        .map(response -> response.hasItem() && !response.item().isEmpty()
            ? Optional.of(fromItem(response.item()))
            : Optional.empty());
  }

  @Override
  public Future<List<Sale>> notEndedAt(Instant now) {
    return dynamo.scanAll(ScanRequest.builder().tableName(table).consistentRead(true)
        .filterExpression("ends_at > :now")
        .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))
        .build(), DynamoSaleStore::fromItem);
  }

  private static Map<String, AttributeValue> toItem(Sale sale) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("id", AttributeValue.fromS(sale.id()));
    item.put("sku", AttributeValue.fromS(sale.sku()));
    item.put("price_amount", AttributeValue.fromS(sale.price().amountText()));
    item.put("currency", AttributeValue.fromS(sale.price().currency()));
    item.put("starts_at", AttributeValue.fromN(Long.toString(sale.startsAt().toEpochMilli())));
    item.put("ends_at", AttributeValue.fromN(Long.toString(sale.endsAt().toEpochMilli())));
    item.put("per_customer_limit", AttributeValue.fromN(Integer.toString(sale.perCustomerLimit())));
    item.put("revision", AttributeValue.fromS(sale.revision()));
    return item;
  }

  private static Sale fromItem(Map<String, AttributeValue> item) {
    return new Sale(
        item.get("id").s(),
        item.get("sku").s(),
        Money.of(item.get("price_amount").s(), item.get("currency").s()),
        Instant.ofEpochMilli(Long.parseLong(item.get("starts_at").n())),
        Instant.ofEpochMilli(Long.parseLong(item.get("ends_at").n())),
        Integer.parseInt(item.get("per_customer_limit").n()),
        item.get("revision").s());
  }
}
