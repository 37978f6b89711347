package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.testing.Api;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import org.junit.jupiter.api.Test;

/**
 * The auth suite on the shared store ({@code auth.mode=local}), plus what only the local issuer promises: refresh
 * tokens are single-use, and a used one presented again revokes its whole family.
 */
@WebstoreTest
class LocalAuthHttpTest extends AuthHttpSuite {

  @Shared static Api api;

  @Override
  protected Api api() {
    return api;
  }

  @Override
  protected boolean confirmationRequired() {
    return false;
  }

  @Override
  protected String confirmationCode(String customerId) {
    return "000000"; // local accounts need none: any code confirms an existing account
  }

  @Test
  void aRefreshTokenWorksOnceAndItsReuseRevokesTheFamily() {
    Account account = account();
    HttpResponse<Buffer> first = refresh(account.refreshToken());
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    String next = first.bodyAsJsonObject().getString("refresh_token");
    assertThat(next).isNotEqualTo(account.refreshToken());

    assertProblem(refresh(account.refreshToken()), 401, "unauthorized");
    assertProblem(refresh(next), 401, "unauthorized"); // the replay revoked the token it had been exchanged for

    Account again = new Account(account.id(), account.email(), logIn(account.email(), PASSWORD).bodyAsJsonObject());
    assertThat(refresh(again.refreshToken()).statusCode()).as("a new login starts a new family").isEqualTo(200);
  }
}
