package io.webstore.catalog;

import io.vertx.core.Future;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.money.Amount;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** {@link SaleStore} on a DynamoDB table keyed by {@code id}; times are epoch milliseconds (numbers, comparable). */
final class DynamoSaleStore implements SaleStore {

  private final DynamoTable table;

  DynamoSaleStore(DynamoTable table) {
    this.table = table;
  }

  @Override
  public Future<Void> put(Sale sale) {
    return table.put("putItem", toItem(sale), Condition.NONE).mapEmpty();
  }

  @Override
  public Future<Boolean> putIfAbsent(Sale sale) {
    return table.put("putIfAbsent", toItem(sale), Condition.absent("id"))
        .map(true)
        .recover(err -> err instanceof ConditionFailed
            ? Future.succeededFuture(false)
            : Future.failedFuture(err));
  }

  @Override
  public Future<Optional<Sale>> find(String id) {
    return table.get("getItem", Map.of("id", AttributeValue.fromS(id))).map(item -> item.map(DynamoSaleStore::fromItem));
  }

  @Override
  public Future<List<Sale>> notEndedAt(Instant now) {
    return table.scanAll("scan", ScanRequest.builder().tableName(table.name()).consistentRead(true)
        .filterExpression("ends_at > :now")
        .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))
        .build(), DynamoSaleStore::fromItem);
  }

  private static Map<String, AttributeValue> toItem(Sale sale) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("id", AttributeValue.fromS(sale.id()));
    item.put("sku", AttributeValue.fromS(sale.sku()));
    item.put("price_amount", AttributeValue.fromS(sale.price().text()));
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
        Amount.price(item.get("price_amount").s(), item.get("currency").s()),
        Instant.ofEpochMilli(Long.parseLong(item.get("starts_at").n())),
        Instant.ofEpochMilli(Long.parseLong(item.get("ends_at").n())),
        Integer.parseInt(item.get("per_customer_limit").n()),
        item.get("revision").s());
  }
}
