package io.webstore.platform.dynamo;

import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a conditional write whose condition failed is judged once the item has been read back: did an earlier attempt
 * of this same write land (its reply lost, the SDK retried), or is it a real conflict?
 */
@FunctionalInterface
public interface Landed {

  /**
   * @param current the item as read back (consistent read) after the failed condition
   * @param writeId the id this write carried in {@link DynamoTable#WRITE_ID}
   */
  boolean test(Optional<Map<String, AttributeValue>> current, String writeId);

  /** The default for tagged puts and updates: the item carries this write's id. */
  static Landed byWriteId() {
    return (current, writeId) -> current
        .map(item -> item.get(DynamoTable.WRITE_ID))
        .map(AttributeValue::s)
        .filter(writeId::equals)
        .isPresent();
  }

  /**
   * For writes that are idempotent by construction (an id recorded in a set that the condition tests, a state that
   * only moves forward): the item shows the effect, whoever wrote last. The write id is not needed to judge it.
   */
  static Landed whenItem(Predicate<Map<String, AttributeValue>> showsEffect) {
    return (current, writeId) -> current.filter(showsEffect).isPresent();
  }

  /** For deletes: the item is gone. */
  static Landed whenAbsent() {
    return (current, writeId) -> current.isEmpty();
  }
}
