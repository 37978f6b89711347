package io.webstore.platform.dynamo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An update expression built by clause ({@code SET}, {@code REMOVE}, {@code ADD}, {@code DELETE}), so the kit can add
 * the write id to the {@code SET} clause of any update.
 */
public final class Update {

  private final List<String> set = new ArrayList<>();
  private final List<String> remove = new ArrayList<>();
  private final List<String> add = new ArrayList<>();
  private final List<String> delete = new ArrayList<>();
  private final Map<String, String> names = new HashMap<>();
  private final Map<String, AttributeValue> values = new HashMap<>();

  public static Update create() {
    return new Update();
  }

  /** One or more comma-separated {@code SET} actions, e.g. {@code "#status = :to, updated_at = :at"}. */
  public Update set(String actions) {
    set.add(actions);
    return this;
  }

  public Update remove(String attributes) {
    remove.add(attributes);
    return this;
  }

  public Update add(String actions) {
    add.add(actions);
    return this;
  }

  public Update delete(String actions) {
    delete.add(actions);
    return this;
  }

  public Update name(String placeholder, String attribute) {
    names.put(placeholder, attribute);
    return this;
  }

  public Update value(String placeholder, AttributeValue value) {
    values.put(placeholder, value);
    return this;
  }

  public Update values(Map<String, AttributeValue> more) {
    values.putAll(more);
    return this;
  }

  Map<String, String> names() {
    return names;
  }

  Map<String, AttributeValue> values() {
    return values;
  }

  /** The expression, with {@code extraSet} (the write id) first in the {@code SET} clause when given. */
  String expression(String extraSet) {
    List<String> sets = new ArrayList<>();
    if (extraSet != null) {
      sets.add(extraSet);
    }
    sets.addAll(set);
    StringBuilder expression = new StringBuilder();
    clause(expression, "SET", sets);
    clause(expression, "REMOVE", remove);
    clause(expression, "ADD", add);
    clause(expression, "DELETE", delete);
    return expression.toString();
  }

  private static void clause(StringBuilder expression, String keyword, List<String> actions) {
    if (actions.isEmpty()) {
      return;
    }
    if (expression.length() > 0) {
      expression.append(' ');
    }
    expression.append(keyword).append(' ').append(String.join(", ", actions));
  }
}
