package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Argon2idHasherTest {

  /** Cheap parameters keep this test fast; the format and the checks do not depend on them. */
  static final Argon2idHasher.Params CHEAP = new Argon2idHasher.Params(64, 1, 1);

  @Test
  void theEncodedHashCarriesTheOwaspParametersAndARandomSalt() {
    Argon2idHasher hasher = new Argon2idHasher(Argon2idHasher.Params.OWASP);

    String first = hasher.hash("Correct-horse-42");
    String second = hasher.hash("Correct-horse-42");

    assertThat(first).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(second).isNotEqualTo(first);
    assertThat(hasher.verify("Correct-horse-42", first)).isTrue();
    assertThat(hasher.verify("Correct-horse-43", first)).isFalse();
  }

  @Test
  void verificationUsesTheParametersStoredInTheHash() {
    String cheap = new Argon2idHasher(CHEAP).hash("pässwörd-1234");

    assertThat(cheap).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
    assertThat(new Argon2idHasher(Argon2idHasher.Params.OWASP).verify("pässwörd-1234", cheap)).isTrue();
    assertThat(new Argon2idHasher(Argon2idHasher.Params.OWASP).verify("passwörd-1234", cheap)).isFalse();
  }

  @Test
  void malformedOrForeignHashesNeverMatch() {
    Argon2idHasher hasher = new Argon2idHasher(CHEAP);
    String good = hasher.hash("secret-123456");
    String[] parts = good.split("\\$");

    assertThat(hasher.verify("secret-123456", null)).isFalse();
    assertThat(hasher.verify("secret-123456", "")).isFalse();
    assertThat(hasher.verify("secret-123456", good.replace("argon2id", "argon2i"))).isFalse();
    assertThat(hasher.verify("secret-123456", good.replace("v=19", "v=16"))).isFalse();
    assertThat(hasher.verify("secret-123456", good.replace("m=64", "m=x"))).isFalse();
    assertThat(hasher.verify("secret-123456", good.replace("m=64", "m=999999999"))).isFalse();
    assertThat(hasher.verify("secret-123456", good + "$extra")).isFalse();
    assertThat(hasher.verify("secret-123456", String.join("$", parts[0], parts[1], parts[2], parts[3], "!!!",
        parts[5]))).isFalse();
    assertThat(hasher.verify("secret-123456", good.substring(0, good.length() - 10))).isFalse();
    assertThat(hasher.verify("secret-123456", good)).isTrue();
  }
}
