package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

  static final EmailAddress ANN = EmailAddress.parse("Ann.Lee@example.com");

  static Iterable<String> rules(String password, EmailAddress email) {
    return PasswordPolicy.violations(password, email).stream().map(PasswordPolicy.Violation::rule).toList();
  }

  @Test
  void lengthBoundsAreInclusiveAndCountCharactersNotUtf16Units() {
    assertThat(rules("abcdefghij12", ANN)).isEmpty();
    assertThat(rules("abcdefghij1", ANN)).containsExactly("min_length");
    assertThat(rules("a1".repeat(64), ANN)).isEmpty();
    assertThat(rules("a1".repeat(64) + "x", ANN)).containsExactly("max_length");
    assertThat(rules("\uD83D\uDD12".repeat(10) + "a1", ANN)).isEmpty(); // 12 characters, 22 UTF-16 units
  }

  @Test
  void lettersAndDigitsOfAnyScriptCount() {
    assertThat(rules("пароль-пароль-٣", ANN)).isEmpty();
    assertThat(rules("only-letters-here", ANN)).containsExactly("digit_required");
    assertThat(rules("1234-5678-9012", ANN)).containsExactly("letter_required");
  }

  @Test
  void theEmailsNamePartIsForbiddenIgnoringCaseUnlessItIsTiny() {
    assertThat(rules("xx-ANN.LEE-2024", ANN)).containsExactly("contains_email");
    assertThat(rules("xx-ann.le-2024x", ANN)).isEmpty();
    assertThat(rules("jo-is-my-name-1", EmailAddress.parse("jo@example.com"))).isEmpty();
  }
}
