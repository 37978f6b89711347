package io.webstore.platform.aws;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The key schema of one DynamoDB table, by logical name (the config's prefix is added when provisioning). */
public record TableSpec(String name, Key partitionKey, Optional<Key> sortKey, List<Index> indexes) {

  /** A key attribute. */
  public record Key(String attribute, ScalarAttributeType type) {
    public static Key string(String attribute) {
      return new Key(attribute, ScalarAttributeType.S);
    }

    public static Key number(String attribute) {
      return new Key(attribute, ScalarAttributeType.N);
    }
  }

  /** A global secondary index, projecting all attributes. */
  public record Index(String name, Key partitionKey, Optional<Key> sortKey) {}

  public static TableSpec of(String name, Key partitionKey) {
    return new TableSpec(name, partitionKey, Optional.empty(), List.of());
  }

  public static TableSpec of(String name, Key partitionKey, Key sortKey) {
    return new TableSpec(name, partitionKey, Optional.of(sortKey), List.of());
  }

  public TableSpec withIndex(String indexName, Key indexPartitionKey, Key indexSortKey) {
    List<Index> more = new java.util.ArrayList<>(indexes);
    more.add(new Index(indexName, indexPartitionKey, Optional.ofNullable(indexSortKey)));
    return new TableSpec(name, partitionKey, sortKey, List.copyOf(more));
  }
}
