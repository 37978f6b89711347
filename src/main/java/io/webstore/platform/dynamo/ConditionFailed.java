package io.webstore.platform.dynamo;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A conditional write whose condition really failed: the item was read back (consistently) after the failure and
 * does not show the write. Carries that item, so the adapter can name the domain error (taken, changed, short).
 */
public final class ConditionFailed extends RuntimeException {

  private final transient Optional<Map<String, AttributeValue>> current;

  ConditionFailed(String table, String operation, Optional<Map<String, AttributeValue>> current) {
    super(operation + " on " + table + ": condition failed", null, false, false);
    this.current = current;
  }

  /** The item as read right after the failed condition; empty when there is none. */
  public Optional<Map<String, AttributeValue>> current() {
    return current;
  }
}
