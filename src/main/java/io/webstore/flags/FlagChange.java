package io.webstore.flags;

import io.webstore.platform.error.Validation;
import java.time.Instant;
import java.util.Optional;

/**
 * An admin's new rule for a flag (the whole rule: a PUT replaces it).
 *
 * @param percentage share of targeting keys the flag is on for while enabled, 0..100
 */
public record FlagChange(boolean enabled, int percentage, Optional<String> description) {

  public static final int MAX_DESCRIPTION = 500;

  public FlagChange {
    if (percentage < 0 || percentage > 100) {
      throw Validation.of("/percentage", "percentage must be in 0..100");
    }
    if (description.isPresent() && description.get().length() > MAX_DESCRIPTION) {
      throw Validation.of("/description", "description must be at most " + MAX_DESCRIPTION + " characters");
    }
  }

  /** The flag after this change, as version {@code version}. */
  public Flag applyTo(String name, long version, Instant at, String by) {
    return new Flag(name, enabled, percentage, description, version, at, by);
  }
}
