package io.webstore.platform.dynamo;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Attribute values and reads of them, so adapters do not each write their own {@code s()} and {@code n()}. */
public final class Attrs {

  private Attrs() {}

  public static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  public static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  public static AttributeValue bool(boolean value) {
    return AttributeValue.fromBool(value);
  }

  /** A string set of the given members (DynamoDB refuses an empty set: callers pass at least one). */
  public static AttributeValue ss(Collection<String> members) {
    return AttributeValue.fromSs(List.copyOf(members));
  }

  /** The string attribute {@code name}, if present. */
  public static Optional<String> string(Map<String, AttributeValue> item, String name) {
    return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
  }

  /** The number attribute {@code name} as a long, or {@code otherwise}. */
  public static long number(Map<String, AttributeValue> item, String name, long otherwise) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? otherwise : Long.parseLong(value.n());
  }

  /** Whether the string set {@code name} contains {@code member}. */
  public static boolean setContains(Map<String, AttributeValue> item, String name, String member) {
    AttributeValue value = item.get(name);
    return value != null && value.hasSs() && value.ss().contains(member);
  }
}
