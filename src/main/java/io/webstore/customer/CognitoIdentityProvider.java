package io.webstore.customer;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.Forbidden;
import io.webstore.platform.error.Unauthorized;
import io.webstore.platform.error.Unavailable;
import io.webstore.platform.error.Validation;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotConfirmedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/**
 * Amazon Cognito as the identity provider ({@code auth.mode=cognito}): {@code SignUp} and {@code InitiateAuth} with
 * {@code USER_PASSWORD_AUTH} on the app client {@code auth.cognitoClientId}, whose users are named by email. Assumes
 * a public app client (no client secret, so no {@code SECRET_HASH}) with that flow enabled. The profile is stored
 * under Cognito's {@code userSub}, which is the {@code sub} of its access tokens.
 */
final class CognitoIdentityProvider implements IdentityProvider {

  private static final String METRIC = "webstore.customer.cognito.calls";

  private final Vertx vertx;
  private final CognitoIdentityProviderAsyncClient cognito;
  private final String clientId;
  private final CustomerStore store;
  private final MeterRegistry meters;
  private final Clock clock;

  CognitoIdentityProvider(Vertx vertx, CognitoIdentityProviderAsyncClient cognito, String clientId,
      CustomerStore store, MeterRegistry meters, Clock clock) {
    this.vertx = vertx;
    this.cognito = cognito;
    this.clientId = clientId;
    this.store = store;
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public Future<Customer> signUp(EmailAddress email, String password) {
    return call("signUp", () -> cognito.signUp(request -> request
            .clientId(clientId)
            .username(email.value())
            .password(password)
            .userAttributes(AttributeType.builder().name("email").value(email.value()).build())))
        .compose(created -> store.create(Customer.registered(created.userSub(), email, clock.instant()),
            Optional.empty(), Set.of()));
  }

  @Override
  public Future<AccessToken> logIn(EmailAddress email, String password) {
    return call("initiateAuth", () -> cognito.initiateAuth(request -> request
            .clientId(clientId)
            .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
            .authParameters(Map.of("USERNAME", email.value(), "PASSWORD", password))))
        .map(response -> {
          AuthenticationResultType result = response.authenticationResult();
          if (result == null) { // a challenge (MFA, new password) that this API does not offer
            throw new Unauthorized("the account needs a sign-in step this API does not support ("
                + response.challengeNameAsString() + ")");
          }
          return AccessToken.bearer(result.accessToken(), result.expiresIn());
        });
  }

  private <T> Future<T> call(String operation, Supplier<CompletableFuture<T>> request) {
    return AwsFutures.timed(vertx, meters, METRIC, operation, () -> request.get())
        .recover(err -> Future.failedFuture(toDomain(err)));
  }

  private static Throwable toDomain(Throwable err) {
    if (err instanceof NotAuthorizedException || err instanceof UserNotFoundException) {
      return new Unauthorized("the email or password is wrong");
    }
    if (err instanceof UsernameExistsException) {
      return new Conflict("an account with this email already exists");
    }
    if (err instanceof InvalidPasswordException invalid) {
      return Validation.of("/password", invalid.awsErrorDetails() == null
          ? "the password does not meet the policy" : invalid.awsErrorDetails().errorMessage());
    }
    if (err instanceof UserNotConfirmedException) {
      return new Forbidden("confirm the email address first");
    }
    if (err instanceof TooManyRequestsException) {
      return new Unavailable("too many sign-in requests; retry shortly");
    }
    return err;
  }
}
