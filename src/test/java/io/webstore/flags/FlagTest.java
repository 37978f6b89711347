package io.webstore.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.webstore.platform.error.Validation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlagTest {

  private static Flag flag(String name, boolean enabled, int percentage) {
    return new Flag(name, enabled, percentage, Optional.empty(), 1, Instant.EPOCH, "admin-1");
  }

  @Test
  void bucketIsTheFirstFourBytesOfTheSaltedSha256UnsignedModHundred() {
    // expected values computed outside Java: int.from_bytes(sha256(b"<flag>:<key>").digest()[:4], "big") % 100
    assertThat(Flag.bucket("checkout-v2", "customer-42")).isEqualTo(64); // 1850868264
    assertThat(Flag.bucket("dark-mode", "c-1")).isEqualTo(75); // 3663350775: above 2^31, so read unsigned
    assertThat(Flag.bucket("a1", "")).isEqualTo(21); // 183048821
  }

  @Test
  void flagIsOnBelowItsPercentageOnlyWhileEnabled() {
    assertThat(flag("dark-mode", true, 76).isOnFor("c-1")).isTrue(); // bucket 75
    assertThat(flag("dark-mode", true, 75).isOnFor("c-1")).isFalse();
    assertThat(flag("dark-mode", false, 100).isOnFor("c-1")).isFalse();
    assertThat(flag("dark-mode", true, 0).isOnFor("c-1")).isFalse();
  }

  @Test
  void tableRulesOverrideDefaultsAndDefaultsFillTheRest() {
    FlagTable table = FlagTable.of(List.of(flag("dark-mode", true, 100), flag("checkout-v2", false, 100)));

    assertThat(table.evaluate("c-1", Map.of("checkout-v2", true, "express", true)))
        .isEqualTo(Map.of("dark-mode", true, "checkout-v2", false, "express", true));
  }

  @Test
  void ruleOutsideItsRangeIsAValidationError() {
    assertThatThrownBy(() -> new FlagChange(true, 101, Optional.empty())).isInstanceOf(Validation.class)
        .hasMessageContaining("percentage");
    assertThatThrownBy(() -> new FlagChange(true, 5, Optional.of("x".repeat(501)))).isInstanceOf(Validation.class)
        .hasMessageContaining("description");
  }
}
