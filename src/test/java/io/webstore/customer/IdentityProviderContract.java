package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.Unauthorized;
import io.webstore.platform.error.Validation;
import io.webstore.testing.Engines;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link IdentityProvider}, stated once and run against every adapter it can run on here:
 * <ul>
 *   <li>a sign-up answers a new customer (an id of the provider's, the normalized email, the time of the sign-up, no
 *       consents) and keeps its profile and credentials in the {@link CustomerStore} under that id, without
 *       groups;</li>
 *   <li>an email has one account: a second sign-up with it, in any letter case ({@link EmailAddress} is normalized),
 *       is {@link Conflict} and changes nothing; of concurrent sign-ups with one email exactly one succeeds;</li>
 *   <li>a login with the right password, the email in any letter case, answers a bearer {@link AccessToken} that
 *       expires and whose subject is the customer's id;</li>
 *   <li>a wrong password (letter case counts) and an unknown email fail with the same {@link Unauthorized}, so an
 *       answer never tells whether an email has an account;</li>
 *   <li>a login's refresh token gets a new access token (and a refresh token) for the same customer; a token the
 *       provider never issued is {@link Unauthorized};</li>
 *   <li>confirming an account that can already log in succeeds; an email without an account is {@link Validation}
 *       on {@code /code}.</li>
 * </ul>
 * Run on {@link LocalIdentityProvider}, {@link CognitoIdentityProvider} (on cognito-local, sign-ups auto-confirmed)
 * and {@link InMemoryIdentityProvider}.
 */
abstract class IdentityProviderContract {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PASSWORD = "correct-Horse-battery-9";

  /** An adapter under test, the store it keeps profiles in, and how its tokens' subject is read (verified). */
  protected record Provider(IdentityProvider identity, CustomerStore customers,
      Function<AccessToken, Future<String>> subjectOf) {}

  /** The adapter under test; the emails the tests use are their own. */
  protected abstract Future<Provider> createProvider();

  private Provider provider;

  @BeforeEach
  void provider() {
    provider = await(createProvider());
  }

  @Test
  void aSignUpAnswersANewCustomerAndKeepsItsProfile() {
    EmailAddress email = EmailAddress.parse("Ann-" + UUID.randomUUID() + "@Example.COM");
    Instant before = Instant.now();
    Customer customer = await(provider.identity().signUp(email, PASSWORD));
    Instant after = Instant.now();

    assertThat(customer.id()).isNotBlank();
    assertThat(customer.email()).isEqualTo(email);
    assertThat(customer.createdAt()).isBetween(before, after);
    assertThat(customer.consents()).isEqualTo(Consents.none());
    assertThat(await(provider.customers().find(customer.id()))).isEqualTo(customer);
    Credentials credentials = await(provider.customers().credentials(email));
    assertThat(credentials.customerId()).isEqualTo(customer.id());
    assertThat(credentials.groups()).isEmpty();
  }

  @Test
  void anEmailHasOneAccountInAnyLetterCase() {
    String name = "bob-" + UUID.randomUUID();
    Customer first = await(provider.identity().signUp(EmailAddress.parse(name + "@example.com"), PASSWORD));

    assertThat(failure(provider.identity().signUp(EmailAddress.parse(name + "@example.com"), "another-Password-1")))
        .isInstanceOf(Conflict.class);
    assertThat(failure(provider.identity().signUp(EmailAddress.parse(name.toUpperCase(Locale.ROOT)
        + "@EXAMPLE.com"), "another-Password-2"))).isInstanceOf(Conflict.class);
    assertThat(await(provider.customers().credentials(first.email())).customerId()).isEqualTo(first.id());
    AccessToken token = await(provider.identity().logIn(first.email(), PASSWORD));
    assertThat(await(provider.subjectOf().apply(token))).as("the first password still logs in").isEqualTo(first.id());
    assertThat(failure(provider.identity().logIn(first.email(), "another-Password-1")))
        .isInstanceOf(Unauthorized.class);
  }

  @Test
  void ofConcurrentSignUpsWithOneEmailExactlyOneSucceeds() {
    EmailAddress email = EmailAddress.parse("race-" + UUID.randomUUID() + "@example.com");
    List<Future<Customer>> signUps = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      signUps.add(provider.identity().signUp(email, PASSWORD + i));
    }
    await(Future.join(signUps).otherwiseEmpty());

    List<Customer> accounts = signUps.stream().filter(Future::succeeded).map(Future::result).toList();
    assertThat(accounts).hasSize(1);
    assertThat(signUps.stream().filter(Future::failed).map(Future::cause)).hasSize(5)
        .allSatisfy(cause -> assertThat(cause).isInstanceOf(Conflict.class));
    assertThat(await(provider.customers().credentials(email)).customerId()).isEqualTo(accounts.get(0).id());
  }

  @Test
  void aLoginWithTheRightPasswordIssuesABearerTokenForTheCustomer() {
    String name = "cy-" + UUID.randomUUID();
    Customer customer = await(provider.identity().signUp(EmailAddress.parse(name + "@example.com"), PASSWORD));
    Customer other = await(provider.identity().signUp(EmailAddress.parse("other-" + name + "@example.com"),
        PASSWORD));

    AccessToken token = await(provider.identity().logIn(EmailAddress.parse(name + "@example.com"), PASSWORD));
    assertThat(token.type()).isEqualTo("Bearer");
    assertThat(token.token()).isNotBlank();
    assertThat(token.expiresInSeconds()).isPositive();
    assertThat(await(provider.subjectOf().apply(token))).isEqualTo(customer.id());

    AccessToken anyCase = await(provider.identity().logIn(EmailAddress.parse(
        name.toUpperCase(Locale.ROOT) + "@Example.Com"), PASSWORD));
    assertThat(await(provider.subjectOf().apply(anyCase))).isEqualTo(customer.id());
    AccessToken theOthers = await(provider.identity().logIn(other.email(), PASSWORD));
    assertThat(await(provider.subjectOf().apply(theOthers))).isEqualTo(other.id()).isNotEqualTo(customer.id());
  }

  @Test
  void aWrongPasswordAndAnUnknownEmailAreTheSameUnauthorized() {
    Customer customer = await(provider.identity().signUp(
        EmailAddress.parse("dee-" + UUID.randomUUID() + "@example.com"), PASSWORD));

    Throwable wrong = failure(provider.identity().logIn(customer.email(), "wrong-Password-42"));
    Throwable wrongCase = failure(provider.identity().logIn(customer.email(), PASSWORD.toUpperCase(
        Locale.ROOT)));
    Throwable unknown = failure(provider.identity().logIn(
        EmailAddress.parse("nobody-" + UUID.randomUUID() + "@example.com"), PASSWORD));

    assertThat(List.of(wrong, wrongCase, unknown)).allSatisfy(cause -> assertThat(cause)
        .isInstanceOf(Unauthorized.class)
        .hasMessage(unknown.getMessage()));
  }

  @Test
  void aRefreshTokenGetsANewAccessTokenForTheSameCustomer() {
    Customer customer = await(provider.identity().signUp(
        EmailAddress.parse("eve-" + UUID.randomUUID() + "@example.com"), PASSWORD));
    AccessToken login = await(provider.identity().logIn(customer.email(), PASSWORD));
    assertThat(login.refreshToken()).isPresent();

    AccessToken refreshed = await(provider.identity().refresh(login.refreshToken().orElseThrow()));
    assertThat(refreshed.type()).isEqualTo("Bearer");
    assertThat(refreshed.expiresInSeconds()).isPositive();
    assertThat(refreshed.refreshToken()).isPresent();
    assertThat(await(provider.subjectOf().apply(refreshed))).isEqualTo(customer.id());
    AccessToken again = await(provider.identity().refresh(refreshed.refreshToken().orElseThrow()));
    assertThat(await(provider.subjectOf().apply(again))).isEqualTo(customer.id());
  }

  @Test
  void aRefreshTokenTheProviderNeverIssuedIsUnauthorized() {
    assertThat(failure(provider.identity().refresh("never-issued-" + UUID.randomUUID())))
        .isInstanceOf(Unauthorized.class);
    assertThat(failure(provider.identity().refresh(UUID.randomUUID() + ":" + UUID.randomUUID())))
        .isInstanceOf(Unauthorized.class);
  }

  @Test
  void confirmingAnAccountThatCanLogInSucceedsAndAnUnknownEmailIsValidation() {
    Customer customer = await(provider.identity().signUp(
        EmailAddress.parse("fay-" + UUID.randomUUID() + "@example.com"), PASSWORD));
    await(provider.identity().confirm(customer.email(), "123456"));
    assertThat(await(provider.subjectOf().apply(await(provider.identity().logIn(customer.email(), PASSWORD)))))
        .isEqualTo(customer.id());

    assertThat(failure(provider.identity().confirm(
        EmailAddress.parse("nobody-" + UUID.randomUUID() + "@example.com"), "123456")))
        .isInstanceOfSatisfying(Validation.class, invalid -> assertThat(invalid.extensions().encode())
            .contains("/code"));
  }

  private static <T> T await(Future<T> future) {
    return Engines.await(future, WAIT);
  }

  private static Throwable failure(Future<?> future) {
    return Engines.awaitFailure(future, WAIT);
  }
}
