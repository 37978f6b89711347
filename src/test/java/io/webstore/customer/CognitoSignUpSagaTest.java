package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.webstore.dev.CognitoLocalServer;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Unavailable;
import io.webstore.testing.ContractTables;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminDeleteUserRequest;

/**
 * The sign-up saga on cognito-local, with the profile write failing at the port ({@link FailingProfiles}): no user is
 * left without a profile and no profile without a user, whether the Cognito user can be removed (it is) or not (the
 * first login completes the profile from the ID token's {@code sub} and {@code email}, idempotently).
 */
class CognitoSignUpSagaTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PASSWORD = "correct-Horse-battery-9";

  static CognitoLocalServer.Pool pool;
  static CognitoIdentityProviderAsyncClient client;
  static CognitoIdentityProviderAsyncClient clientThatCannotDelete;
  static CustomerStore profiles;

  @BeforeAll
  static void start() {
    pool = Engines.shared().cognitoPool();
    client = CognitoIdentityProviderTest.cognitoClient(pool, new ExecutionInterceptor() {});
    clientThatCannotDelete = CognitoIdentityProviderTest.cognitoClient(pool, new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof AdminDeleteUserRequest) {
          throw SdkClientException.create("AdminDeleteUser failed (injected)");
        }
      }
    });
    Services services = ContractTables.services();
    profiles = new DynamoCustomerStore(services.vertx(), services.aws().dynamo(),
        Engines.await(ContractTables.provision(DynamoCustomerStore.TABLE)), services.meters());
  }

  @AfterAll
  static void stop() {
    client.close();
    clientThatCannotDelete.close();
  }

  private static IdentityProvider provider(CognitoIdentityProviderAsyncClient cognito, CustomerStore store) {
    Services services = ContractTables.services();
    return new CognitoIdentityProvider(services.vertx(), cognito, new CognitoIdentityProvider.Settings(
        Optional.of(pool.poolId()), pool.publicClientId(), Optional.empty(), true), store, services.meters(),
        Clock.systemUTC());
  }

  private static EmailAddress newEmail() {
    return EmailAddress.parse("saga-" + UUID.randomUUID() + "@example.com");
  }

  @Test
  void aProfileWriteThatFailsRemovesTheCognitoUserAndTheEmailCanSignUpAgain() {
    EmailAddress email = newEmail();
    Throwable failed = Engines.awaitFailure(provider(client, new FailingProfiles(profiles, 1))
        .signUp(email, PASSWORD), WAIT);

    assertThat(failed).isInstanceOf(Unavailable.class);
    assertThat(Engines.shared().cognito().user(pool.poolId(), email.value())).as("no user without a profile")
        .isEmpty();
    assertThat(Engines.awaitFailure(profiles.credentials(email), WAIT)).isInstanceOf(NotFound.class);

    Customer again = Engines.await(provider(client, profiles).signUp(email, PASSWORD), WAIT);
    assertThat(Engines.await(profiles.find(again.id()), WAIT).email()).isEqualTo(email);
  }

  @Test
  void whenTheUserCannotBeRemovedTheFirstLoginCompletesTheProfileOnce() {
    EmailAddress email = newEmail();
    assertThat(Engines.awaitFailure(provider(clientThatCannotDelete, new FailingProfiles(profiles, 1))
        .signUp(email, PASSWORD), WAIT)).isInstanceOf(Unavailable.class);
    String sub = Engines.shared().cognito().user(pool.poolId(), email.value()).orElseThrow()
        .getJsonArray("UserAttributes").stream().map(io.vertx.core.json.JsonObject.class::cast)
        .filter(attribute -> "sub".equals(attribute.getString("Name"))).findFirst().orElseThrow().getString("Value");
    assertThat(Engines.awaitFailure(profiles.find(sub), WAIT)).as("no profile yet").isInstanceOf(NotFound.class);

    IdentityProvider healthy = provider(client, profiles);
    List<Future<AccessToken>> logins = List.of(healthy.logIn(email, PASSWORD), healthy.logIn(email, PASSWORD),
        healthy.logIn(email, PASSWORD));
    Engines.await(Future.all(logins), WAIT);
    Customer completed = Engines.await(profiles.find(sub), WAIT);
    assertThat(completed.email()).isEqualTo(email);
    assertThat(Engines.await(profiles.credentials(email), WAIT).customerId()).isEqualTo(sub);

    Engines.await(healthy.logIn(email, PASSWORD), WAIT);
    assertThat(Engines.await(profiles.find(sub), WAIT)).as("a later login changes nothing").isEqualTo(completed);
  }
}
