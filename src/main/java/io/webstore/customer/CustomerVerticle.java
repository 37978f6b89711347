package io.webstore.customer;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Validation;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the customer addresses: {@value #SIGNUP}, {@value #CONFIRM}, {@value #LOGIN}, {@value #REFRESH}, {@value
 * #ME}, {@value #UPDATE_CONSENTS} and {@value #GET}. Checks input against the domain rules, then hands sign-up and login to the {@link IdentityProvider}
 * of the configured {@code auth.mode} and profiles to the {@link CustomerStore}.
 */
final class CustomerVerticle extends VerticleBase {

  /** {@code {email, password}} → the new customer's profile. */
  public static final String SIGNUP = "customer.signup";
  /** {@code {email, code}} → {@code {}} once the account's email is confirmed. */
  public static final String CONFIRM = "customer.confirm";
  /** {@code {email, password}} → {@code {access_token, token_type, expires_in, refresh_token}}. */
  public static final String LOGIN = "customer.login";
  /** {@code {refresh_token}} → {@code {access_token, token_type, expires_in, refresh_token}}. */
  public static final String REFRESH = "customer.refresh";
  /** {@code {id}} (the token's subject) → the profile. */
  public static final String ME = "customer.me";
  /** {@code {id, consents: {name: boolean}}} → the profile after the change. */
  public static final String UPDATE_CONSENTS = "customer.updateConsents";
  /** {@code {id}} → the profile (for administrators and other features). */
  public static final String GET = "customer.get";

  private static final Logger log = LoggerFactory.getLogger(CustomerVerticle.class);

  private final Services services;
  private CustomerStore store;
  // completes once the provider is made (local auth: after its dummy hash, up to a second of a cold start's CPU);
  // requests compose on it, and the store reports ready only after it (CustomerFeature.afterDeploy)
  private Future<IdentityProvider> identity;
  private PasswordHashing hashing;

  public CustomerVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    store = new DynamoCustomerStore(vertx, services.aws().dynamo(),
        services.config().dynamo().table(DynamoCustomerStore.TABLE.name()), services.meters());
    identity = identityProvider();
    return Future.all(List.of(
        consumer(SIGNUP, counted("signups", this::signUp)),
        consumer(CONFIRM, counted("confirmations", this::confirm)),
        consumer(LOGIN, counted("logins", this::logIn)),
        consumer(REFRESH, counted("refreshes", this::refresh)),
        consumer(ME, body -> store.find(body.getString("id")).map(CustomerJson::toJson)),
        consumer(UPDATE_CONSENTS, this::updateConsents),
        consumer(GET, body -> store.find(body.getString("id")).map(CustomerJson::toJson))));
  }

  /** Completes once the identity provider is made: the consumers are registered before, and wait for it. */
  Future<?> identityReady() {
    return identity;
  }

  private Future<IdentityProvider> identityProvider() {
    var auth = services.config().auth();
    if (auth.local()) {
      var section = services.config().section("customer");
      int threads = section.integerOrDefault("hashingThreads", Runtime.getRuntime().availableProcessors(), 1, 256);
      hashing = new PasswordHashing(vertx, threads, section.integerOrDefault("hashingQueue", 8 * threads, 0, 100_000),
          services.meters());
      RefreshTokens refreshTokens = new DynamoRefreshTokens(vertx, services.aws().dynamo(),
          services.config().dynamo().table(DynamoRefreshTokens.TABLE.name()), services.meters());
      return LocalIdentityProvider.create(store, new Argon2idHasher(CustomerFeature.hashing(services)), hashing,
          services.authKeys(), Clock.systemUTC(), refreshTokens, auth.refreshTokenTtl());
    }
    return Future.succeededFuture(new CognitoIdentityProvider(vertx, services.aws().cognito(),
        new CognitoIdentityProvider.Settings(auth.cognitoUserPoolId(), auth.cognitoClientId().orElseThrow(),
            auth.cognitoClientSecret(), auth.cognitoAutoConfirm()),
        store, services.meters(), Clock.systemUTC()));
  }

  private Future<Void> consumer(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> answer(msg, handler)).completion();
  }

  private static void answer(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future.succeededFuture(msg.body())
        .compose(handler) // a rule broken while reading the request fails this future, not the consumer
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, err));
  }

  @Override
  public Future<?> stop() {
    return hashing == null ? Future.succeededFuture() : hashing.close();
  }

  private Future<JsonObject> signUp(JsonObject body) {
    EmailAddress email = EmailAddress.parse(requiredString(body, "email"));
    String password = requiredString(body, "password");
    List<PasswordPolicy.Violation> violations = PasswordPolicy.violations(password, email);
    if (!violations.isEmpty()) {
      return Future.failedFuture(CustomerJson.passwordRejected(violations));
    }
    return identity.compose(provider -> provider.signUp(email, password))
        .onSuccess(customer -> log.info("customer.signed_up id={}", customer.id()))
        .map(CustomerJson::toJson);
  }

  private Future<JsonObject> logIn(JsonObject body) {
    EmailAddress email = EmailAddress.normalized(requiredString(body, "email"));
    return identity.compose(provider -> provider.logIn(email, requiredString(body, "password")))
        .map(CustomerJson::toJson);
  }

  private Future<JsonObject> confirm(JsonObject body) {
    EmailAddress email = EmailAddress.normalized(requiredString(body, "email"));
    return identity.compose(provider -> provider.confirm(email, requiredString(body, "code")))
        .onSuccess(done -> log.info("customer.confirmed"))
        .map(done -> new JsonObject());
  }

  private Future<JsonObject> refresh(JsonObject body) {
    return identity.compose(provider -> provider.refresh(requiredString(body, "refresh_token")))
        .map(CustomerJson::toJson);
  }

  private Future<JsonObject> updateConsents(JsonObject body) {
    String id = body.getString("id");
    var changes = Consents.requireChange(CustomerJson.consentChanges(body.getJsonObject("consents")));
    return store.updateConsents(id, changes)
        .onSuccess(customer -> log.info("customer.consents_changed id={} changed={}", id, changes.keySet()))
        .map(CustomerJson::toJson);
  }

  /**
   * Counts {@code webstore.customer.<what>} by outcome: {@code success}, or the failure's class ({@code Conflict},
   * {@code Validation}, {@code Unauthorized}, ...).
   */
  private Function<JsonObject, Future<JsonObject>> counted(String what,
      Function<JsonObject, Future<JsonObject>> handler) {
    return body -> Future.succeededFuture(body).compose(handler).andThen(result -> {
      String outcome = result.succeeded() ? "success" : result.cause().getClass().getSimpleName();
      Counter.builder("webstore.customer." + what).tag("outcome", outcome).register(services.meters()).increment();
    });
  }

  private static String requiredString(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String value)) {
      throw Validation.of("/" + field, field + " must be a string");
    }
    return value;
  }
}
