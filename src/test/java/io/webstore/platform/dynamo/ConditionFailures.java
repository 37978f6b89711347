package io.webstore.platform.dynamo;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The kit's {@link ConditionFailed}, for in-memory adapters whose real counterpart lets it through unmapped: the
 * fake fails with the very type the caller would see.
 */
public final class ConditionFailures {

  private ConditionFailures() {}

  public static ConditionFailed of(String table, String operation, Optional<Map<String, AttributeValue>> current) {
    return new ConditionFailed(table, operation, current);
  }
}
