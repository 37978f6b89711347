package io.webstore.platform.dynamo;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A condition expression with its placeholders; {@link #NONE} for a write that is not conditional. */
public record Condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {

  public static final Condition NONE = new Condition("", Map.of(), Map.of());

  public Condition {
    names = Map.copyOf(names);
    values = Map.copyOf(values);
  }

  public static Condition of(String expression) {
    return new Condition(expression, Map.of(), Map.of());
  }

  /** {@code attribute_not_exists(<key attribute>)}: the item must not exist yet. */
  public static Condition absent(String keyAttribute) {
    return new Condition("attribute_not_exists(#key)", Map.of("#key", keyAttribute), Map.of());
  }

  /** {@code attribute_exists(<key attribute>)}: the item must exist. */
  public static Condition present(String keyAttribute) {
    return new Condition("attribute_exists(#key)", Map.of("#key", keyAttribute), Map.of());
  }

  public Condition name(String placeholder, String attribute) {
    Map<String, String> more = new HashMap<>(names);
    more.put(placeholder, attribute);
    return new Condition(expression, more, values);
  }

  public Condition value(String placeholder, AttributeValue value) {
    Map<String, AttributeValue> more = new HashMap<>(values);
    more.put(placeholder, value);
    return new Condition(expression, names, more);
  }

  boolean isNone() {
    return expression.isEmpty();
  }
}
