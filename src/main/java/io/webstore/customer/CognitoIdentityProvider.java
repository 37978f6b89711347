package io.webstore.customer;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.RateLimited;
import io.webstore.platform.error.Unauthorized;
import io.webstore.platform.error.Unconfirmed;
import io.webstore.platform.error.Validation;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExpiredCodeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.LimitExceededException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordResetRequiredException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotConfirmedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/**
 * Amazon Cognito as the identity provider ({@code auth.mode=cognito}) on the app client {@code auth.cognitoClientId}
 * of a pool whose users sign in by email (their username is their {@code sub}, the customer id):
 *
 * <ul>
 *   <li>{@code SignUp}, then (dev only, {@code auth.cognitoAutoConfirm}) {@code AdminConfirmSignUp}, then the profile.
 *       The sign-up is a small saga: when the profile cannot be written the Cognito user is removed ({@code
 *       AdminDeleteUser}); should that fail too, the first login completes the profile from the ID token's {@code sub}
 *       and {@code email}, idempotently. So no user is left without a profile and no profile without a user;
 *   <li>{@code ConfirmSignUp} with the emailed code;
 *   <li>{@code InitiateAuth} with {@code USER_PASSWORD_AUTH}, and {@code REFRESH_TOKEN_AUTH} for refresh tokens. The
 *       refresh token handed out carries the username ({@code <sub>:<Cognito refresh token>}) because a client with a
 *       secret must send {@code SECRET_HASH} of the username with it, and Cognito's refresh token does not reveal it;
 *   <li>for an app client with a secret ({@code auth.cognitoClientSecret}), {@code SECRET_HASH} =
 *       Base64(HMAC-SHA256(secret, username + clientId)) on every call that names a user.
 * </ul>
 *
 * <p>Errors get the local mode's answers: a taken email is {@code Conflict}, a password the pool refuses {@code
 * Validation}, a wrong password or unknown email the same {@code Unauthorized}, an unconfirmed account {@code
 * Unconfirmed}, throttling {@code RateLimited}. Every call has the SDK client's call and attempt timeouts.
 */
final class CognitoIdentityProvider implements IdentityProvider {

  private static final Logger log = LoggerFactory.getLogger(CognitoIdentityProvider.class);
  private static final String METRIC = "webstore.customer.cognito.calls";
  private static final String UNAUTHORIZED = "the email or password is wrong";
  private static final String BAD_REFRESH = "the refresh token is invalid, expired or revoked";
  private static final String BAD_CODE = "the confirmation code is wrong or expired, or no account awaits it";
  private static final char REFRESH_SEPARATOR = ':';

  /**
   * How the adapter uses the pool.
   *
   * @param userPoolId the pool, for the admin calls (auto-confirmation, the sign-up's compensation)
   * @param clientId the app client
   * @param clientSecret its secret, when it has one
   * @param autoConfirm confirm sign-ups at once (dev only: AWS pools confirm by the emailed code)
   */
  record Settings(Optional<String> userPoolId, String clientId, Optional<String> clientSecret, boolean autoConfirm) {}

  private final Vertx vertx;
  private final CognitoIdentityProviderAsyncClient cognito;
  private final Settings settings;
  private final CustomerStore store;
  private final MeterRegistry meters;
  private final Clock clock;

  CognitoIdentityProvider(Vertx vertx, CognitoIdentityProviderAsyncClient cognito, Settings settings,
      CustomerStore store, MeterRegistry meters, Clock clock) {
    this.vertx = vertx;
    this.cognito = cognito;
    this.settings = settings;
    this.store = store;
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public Future<Customer> signUp(EmailAddress email, String password) {
    return call("signUp", CognitoIdentityProvider::signUpError, () -> cognito.signUp(request -> request
            .clientId(settings.clientId())
            .username(email.value())
            .password(password)
            .secretHash(secretHash(email.value()))
            .userAttributes(AttributeType.builder().name("email").value(email.value()).build())))
        .compose(created -> confirmInDev(created.userSub(), created.userConfirmed())
            .compose(confirmed -> store.create(Customer.registered(created.userSub(), email, clock.instant()),
                Optional.empty(), Set.of()))
            .recover(err -> undoSignUp(created.userSub(), err)));
  }

  private Future<Void> confirmInDev(String username, Boolean confirmed) {
    if (!settings.autoConfirm() || Boolean.TRUE.equals(confirmed)) {
      return Future.succeededFuture();
    }
    return call("adminConfirmSignUp", Function.identity(), () -> cognito.adminConfirmSignUp(request -> request
        .userPoolId(settings.userPoolId().orElseThrow())
        .username(username)))
        .mapEmpty();
  }

  /**
   * The sign-up's compensation: the user Cognito made is removed, so the email can sign up again. When even that
   * fails, the account stays and its first login completes the profile ({@link #ensureProfile}).
   */
  private Future<Customer> undoSignUp(String username, Throwable cause) {
    if (settings.userPoolId().isEmpty()) {
      log.warn("customer.signup.profile_failed sub={} compensation=first-login error={}", username, cause.toString());
      return Future.failedFuture(cause);
    }
    return call("adminDeleteUser", Function.identity(), () -> cognito.adminDeleteUser(request -> request
            .userPoolId(settings.userPoolId().get())
            .username(username)))
        .transform(deleted -> {
          if (deleted.succeeded()) {
            log.info("customer.signup.undone sub={} reason={}", username, cause.getClass().getSimpleName());
          } else {
            log.warn("customer.signup.profile_failed sub={} compensation=first-login error={} delete_error={}",
                username, cause.toString(), deleted.cause().toString());
          }
          return Future.failedFuture(cause);
        });
  }

  @Override
  public Future<Void> confirm(EmailAddress email, String code) {
    return call("confirmSignUp", Function.identity(), () -> cognito.confirmSignUp(request -> request
            .clientId(settings.clientId())
            .username(email.value())
            .confirmationCode(code)
            .secretHash(secretHash(email.value()))))
        .<Void>mapEmpty()
        .recover(err -> err instanceof CodeMismatchException || err instanceof ExpiredCodeException
            || err instanceof NotAuthorizedException || err instanceof UserNotFoundException
            ? alreadyConfirmed(email).compose(confirmed -> confirmed
                ? Future.<Void>succeededFuture()
                : Future.<Void>failedFuture(Validation.of("/code", BAD_CODE)))
            : Future.failedFuture(toDomain(err)));
  }

  /** Whether an account exists with its email confirmed (a repeated confirmation then succeeds). */
  private Future<Boolean> alreadyConfirmed(EmailAddress email) {
    if (settings.userPoolId().isEmpty()) {
      return Future.succeededFuture(false);
    }
    return call("adminGetUser", Function.identity(), () -> cognito.adminGetUser(request -> request
            .userPoolId(settings.userPoolId().get())
            .username(email.value())))
        .map(user -> user.userStatus() == UserStatusType.CONFIRMED)
        .recover(err -> err instanceof UserNotFoundException
            ? Future.succeededFuture(false)
            : Future.failedFuture(toDomain(err)));
  }

  @Override
  public Future<AccessToken> logIn(EmailAddress email, String password) {
    Map<String, String> parameters = new HashMap<>(Map.of("USERNAME", email.value(), "PASSWORD", password));
    secretHashOf(email.value()).ifPresent(hash -> parameters.put("SECRET_HASH", hash));
    return call("initiateAuth", CognitoIdentityProvider::logInError, () -> cognito.initiateAuth(request -> request
            .clientId(settings.clientId())
            .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
            .authParameters(parameters)))
        .compose(response -> {
          AuthenticationResultType result = authenticated(response);
          JsonObject identity = payload(result.idToken());
          String sub = identity.getString("sub");
          return ensureProfile(sub, identity.getString("email", email.value()))
              .map(profile -> AccessToken.bearer(result.accessToken(), expiresIn(result),
                  sub + REFRESH_SEPARATOR + result.refreshToken()));
        });
  }

  @Override
  public Future<AccessToken> refresh(String refreshToken) {
    int separator = refreshToken.indexOf(REFRESH_SEPARATOR);
    if (separator <= 0 || separator == refreshToken.length() - 1) {
      return Future.failedFuture(new Unauthorized(BAD_REFRESH));
    }
    String username = refreshToken.substring(0, separator);
    String cognitoToken = refreshToken.substring(separator + 1);
    Map<String, String> parameters = new HashMap<>(Map.of("REFRESH_TOKEN", cognitoToken));
    secretHashOf(username).ifPresent(hash -> parameters.put("SECRET_HASH", hash));
    return call("initiateAuth", CognitoIdentityProvider::refreshError, () -> cognito.initiateAuth(request -> request
            .clientId(settings.clientId())
            .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
            .authParameters(parameters)))
        .map(response -> {
          AuthenticationResultType result = authenticated(response);
          // Cognito sends a new refresh token only when the app client rotates them; else the old one stays valid
          String next = result.refreshToken() == null ? cognitoToken : result.refreshToken();
          return AccessToken.bearer(result.accessToken(), expiresIn(result), username + REFRESH_SEPARATOR + next);
        });
  }

  /**
   * The profile of a signed-in user, written now if the sign-up could not write it: idempotent, as concurrent logins
   * race on the same conditional writes.
   */
  private Future<Customer> ensureProfile(String sub, String email) {
    return store.find(sub).recover(err -> {
      if (!(err instanceof NotFound)) {
        return Future.failedFuture(err);
      }
      Customer customer = Customer.registered(sub, EmailAddress.normalized(email), clock.instant());
      return store.create(customer, Optional.empty(), Set.of())
          .onSuccess(created -> log.info("customer.profile.completed id={}", sub))
          .recover(lost -> !(lost instanceof Conflict) ? Future.failedFuture(lost) : store.find(sub)
              .recover(missing -> {
                if (!(missing instanceof NotFound)) {
                  return Future.failedFuture(missing);
                }
                // not made by a concurrent login: the email is claimed by a profile of another id, data this store
                // cannot repair on its own
                log.error("customer.profile.email_claimed_elsewhere id={}", sub);
                return Future.failedFuture(new IllegalStateException("the email is claimed by another profile"));
              }));
    });
  }

  private static AuthenticationResultType authenticated(InitiateAuthResponse response) {
    AuthenticationResultType result = response.authenticationResult();
    if (result == null) { // a challenge (MFA, new password) that this API does not offer
      throw new Unauthorized("the account needs a sign-in step this API does not support ("
          + response.challengeNameAsString() + ")");
    }
    return result;
  }

  private static long expiresIn(AuthenticationResultType result) {
    if (result.expiresIn() != null) {
      return result.expiresIn();
    }
    long exp = payload(result.accessToken()).getLong("exp", 0L);
    return Math.max(0, exp - clockSeconds());
  }

  private static long clockSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  /**
   * The claims of a token Cognito just returned to this call over TLS: read, not verified (AWS documents that tokens
   * received directly from the service need no signature check; the access token is verified on every request).
   */
  private static JsonObject payload(String jwt) {
    String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
    if (parts.length < 2) {
      throw new IllegalStateException("Cognito returned a token that is not a JWT");
    }
    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }

  private String secretHash(String username) {
    return secretHashOf(username).orElse(null); // null: the SDK leaves the field out
  }

  /** {@code SECRET_HASH} for an app client with a secret: Base64(HMAC-SHA256(secret, username + clientId)). */
  private Optional<String> secretHashOf(String username) {
    return settings.clientSecret().map(secret -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(
            (username + settings.clientId()).getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HmacSHA256 is not available", e);
      }
    });
  }

  private <T> Future<T> call(String operation, Function<Throwable, Throwable> specific,
      Supplier<CompletableFuture<T>> request) {
    return AwsFutures.timed(vertx, meters, METRIC, operation, request)
        .recover(err -> Future.failedFuture(toDomain(specific.apply(err))));
  }

  /** At sign-up, {@code InvalidPasswordException} is the pool's password policy refusing the password. */
  private static Throwable signUpError(Throwable err) {
    if (err instanceof UsernameExistsException) {
      return new Conflict("an account with this email already exists");
    }
    if (err instanceof InvalidPasswordException invalid) {
      return Validation.of("/password", invalid.awsErrorDetails() == null
          ? "the password does not meet the user pool's policy" : invalid.awsErrorDetails().errorMessage());
    }
    return err;
  }

  /**
   * At login every credential failure is the same 401, so an answer never tells whether an email has an account;
   * cognito-local reports a wrong password as {@code InvalidPasswordException} where AWS says {@code
   * NotAuthorizedException}.
   */
  private static Throwable logInError(Throwable err) {
    if (err instanceof NotAuthorizedException || err instanceof UserNotFoundException
        || err instanceof InvalidPasswordException || err instanceof PasswordResetRequiredException) {
      return new Unauthorized(UNAUTHORIZED);
    }
    if (err instanceof UserNotConfirmedException) {
      return new Unconfirmed("confirm the email address with the code sent to it (POST /api/v1/auth/confirm), "
          + "then log in again");
    }
    return err;
  }

  private static Throwable refreshError(Throwable err) {
    return err instanceof NotAuthorizedException || err instanceof UserNotFoundException
        ? new Unauthorized(BAD_REFRESH) : err;
  }

  private static Throwable toDomain(Throwable err) {
    if (err instanceof TooManyRequestsException || err instanceof LimitExceededException) {
      return new RateLimited("the identity provider is throttling requests; retry shortly", 1);
    }
    return err;
  }
}
