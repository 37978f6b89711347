package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.webstore.platform.error.Unauthorized;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link RefreshTokens}: a token is used once (of concurrent uses exactly one wins), an expired or
 * unknown one is {@link Unauthorized}, a used one presented again revokes its family, and a revoked family's tokens
 * are refused.
 */
abstract class RefreshTokensContract {

  private static final Duration WAIT = Duration.ofSeconds(20);

  protected abstract Future<RefreshTokens> createTokens();

  private RefreshTokens tokens;

  @BeforeEach
  void tokens() {
    tokens = Engines.await(createTokens(), WAIT);
  }

  private static RefreshTokens.Grant grant(String family, Instant expiresAt) {
    return new RefreshTokens.Grant("customer-" + UUID.randomUUID(),
        EmailAddress.parse("rt-" + UUID.randomUUID() + "@example.com"), family, expiresAt);
  }

  private static String hash() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void aTokenIsUsedOnceAndAnswersItsGrant() {
    String hash = hash();
    RefreshTokens.Grant grant = grant(UUID.randomUUID().toString(), Instant.now().plusSeconds(600));
    Engines.await(tokens.issue(hash, grant), WAIT);

    assertThat(Engines.await(tokens.consume(hash, Instant.now()), WAIT)).isEqualTo(grant);
    assertThat(Engines.awaitFailure(tokens.consume(hash, Instant.now()), WAIT)).isInstanceOf(Unauthorized.class);
  }

  @Test
  void ofConcurrentUsesExactlyOneWins() {
    String hash = hash();
    Engines.await(tokens.issue(hash, grant(UUID.randomUUID().toString(), Instant.now().plusSeconds(600))), WAIT);
    List<Future<RefreshTokens.Grant>> uses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      uses.add(tokens.consume(hash, Instant.now()));
    }
    Engines.await(Future.join(uses).otherwiseEmpty(), WAIT);
    assertThat(uses.stream().filter(Future::succeeded)).hasSize(1);
    assertThat(uses.stream().filter(Future::failed).map(Future::cause))
        .allSatisfy(cause -> assertThat(cause).isInstanceOf(Unauthorized.class));
  }

  @Test
  void anUnknownOrExpiredTokenIsUnauthorized() {
    assertThat(Engines.awaitFailure(tokens.consume(hash(), Instant.now()), WAIT)).isInstanceOf(Unauthorized.class);
    String expired = hash();
    Engines.await(tokens.issue(expired, grant(UUID.randomUUID().toString(), Instant.now().minusSeconds(1))), WAIT);
    assertThat(Engines.awaitFailure(tokens.consume(expired, Instant.now()), WAIT)).isInstanceOf(Unauthorized.class);
  }

  @Test
  void aReusedTokenRevokesItsFamilyAndARevokedFamilyIsRefused() {
    String family = UUID.randomUUID().toString();
    String used = hash();
    String sibling = hash();
    Engines.await(tokens.issue(used, grant(family, Instant.now().plusSeconds(600))), WAIT);
    Engines.await(tokens.issue(sibling, grant(family, Instant.now().plusSeconds(600))), WAIT);
    Engines.await(tokens.consume(used, Instant.now()), WAIT);

    assertThat(Engines.awaitFailure(tokens.consume(used, Instant.now()), WAIT)).isInstanceOf(Unauthorized.class);
    assertThat(Engines.awaitFailure(tokens.consume(sibling, Instant.now()), WAIT)).as("revoked with its family")
        .isInstanceOf(Unauthorized.class);

    String otherFamily = UUID.randomUUID().toString();
    String revoked = hash();
    Engines.await(tokens.issue(revoked, grant(otherFamily, Instant.now().plusSeconds(600))), WAIT);
    Engines.await(tokens.revokeFamily(otherFamily), WAIT);
    assertThat(Engines.awaitFailure(tokens.consume(revoked, Instant.now()), WAIT)).isInstanceOf(Unauthorized.class);
  }
}
