package io.webstore.customer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import java.util.Map;

/**
 * Typed access to the customer addresses for HTTP handlers and other features. Failures arrive as the domain
 * exceptions the verticle raised ({@code NotFound}, {@code Conflict}, {@code Validation}, {@code Unauthorized}).
 */
public final class CustomerClient {

  private final Vertx vertx;

  public CustomerClient(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Customer> signUp(String email, String password) {
    return request(CustomerVerticle.SIGNUP, new JsonObject().put("email", email).put("password", password))
        .map(CustomerJson::customer);
  }

  public Future<AccessToken> logIn(String email, String password) {
    return request(CustomerVerticle.LOGIN, new JsonObject().put("email", email).put("password", password))
        .map(CustomerJson::accessToken);
  }

  /** Confirms an account's email with the code the identity provider sent. */
  public Future<Void> confirm(String email, String code) {
    return request(CustomerVerticle.CONFIRM, new JsonObject().put("email", email).put("code", code)).mapEmpty();
  }

  /** A new access token (and the refresh token to use next) for a refresh token. */
  public Future<AccessToken> refresh(String refreshToken) {
    return request(CustomerVerticle.REFRESH, new JsonObject().put("refresh_token", refreshToken))
        .map(CustomerJson::accessToken);
  }

  /** The profile of the authenticated customer ({@code sub} of the token). */
  public Future<Customer> me(String customerId) {
    return request(CustomerVerticle.ME, new JsonObject().put("id", customerId)).map(CustomerJson::customer);
  }

  /** Sets the named consents; the others keep their values. */
  public Future<Customer> updateConsents(String customerId, Map<String, Boolean> changes) {
    return request(CustomerVerticle.UPDATE_CONSENTS, new JsonObject().put("id", customerId)
            .put("consents", CustomerJson.consentsJson(changes)))
        .map(CustomerJson::customer);
  }

  /** Any customer's profile by id. */
  public Future<Customer> get(String customerId) {
    return request(CustomerVerticle.GET, new JsonObject().put("id", customerId)).map(CustomerJson::customer);
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body)
        .map(reply -> reply.body())
        .recover(Replies::recover);
  }
}
