package io.webstore.customer;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.cart.CartClient;
import io.webstore.fraud.FraudClient;
import io.webstore.platform.error.Unauthorized;
import java.util.Optional;
import java.util.function.Function;

/** HTTP handlers of the auth and customer operations: request to {@link CustomerClient} call, reply to response. */
final class CustomerRoutes {

  private final CustomerClient customers;
  private final GuestCartMerge guestCarts;
  private final FraudClient fraud;
  private final Function<HttpServerRequest, String> clientAddress;

  CustomerRoutes(CustomerClient customers, GuestCartMerge guestCarts, FraudClient fraud,
      Function<HttpServerRequest, String> clientAddress) {
    this.customers = customers;
    this.guestCarts = guestCarts;
    this.fraud = fraud;
    this.clientAddress = clientAddress;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("signUp").addHandler(this::signUp);
    builder.getRoute("logIn").addHandler(this::logIn);
    builder.getRoute("confirmSignUp").addHandler(this::confirm);
    builder.getRoute("refreshToken").addHandler(this::refresh);
    builder.getRoute("getMyProfile").addHandler(this::me);
    builder.getRoute("updateMyConsents").addHandler(this::updateConsents);
    builder.getRoute("adminGetCustomer").addHandler(this::adminGet);
  }

  private void signUp(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject(); // shape already checked against openapi.yaml
    customers.signUp(body.getString("email"), body.getString("password"))
        .compose(customer -> ctx.response().setStatusCode(201)
            .putHeader("Location", "/api/v1/customers/me")
            .putHeader("Content-Type", "application/json")
            .end(CustomerJson.toJson(customer).toBuffer()))
        .onFailure(ctx::fail);
  }

  private void logIn(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String email = body.getString("email");
    String client = clientAddress.apply(ctx.request());
    fraud.screenLogin(email, client) // before the password check: the same answer for known and unknown emails
        .compose(screened -> customers.logIn(email, body.getString("password")))
        .onFailure(err -> {
          if (err instanceof Unauthorized) {
            fraud.loginFailed(email, client);
          }
        })
        .compose(token -> guestCarts.merge(guestSession(ctx), token.token()).map(token)) // never fails the login
        .compose(token -> ctx.response()
            .putHeader("Cache-Control", "no-store") // RFC 6749 §5.1: token responses are never cached
            .putHeader("Content-Type", "application/json")
            .end(CustomerJson.toJson(token).toBuffer()))
        .onFailure(ctx::fail);
  }

  private void confirm(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    customers.confirm(body.getString("email"), body.getString("code"))
        .compose(done -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void refresh(RoutingContext ctx) {
    customers.refresh(ctx.body().asJsonObject().getString("refresh_token"))
        .compose(token -> ctx.response()
            .putHeader("Cache-Control", "no-store")
            .putHeader("Content-Type", "application/json")
            .end(CustomerJson.toJson(token).toBuffer()))
        .onFailure(ctx::fail);
  }

  private void me(RoutingContext ctx) {
    customers.me(subject(ctx))
        .compose(customer -> ctx.json(CustomerJson.toJson(customer)))
        .onFailure(ctx::fail);
  }

  private void updateConsents(RoutingContext ctx) {
    JsonObject consents = ctx.body().asJsonObject().getJsonObject("consents");
    customers.updateConsents(subject(ctx), CustomerJson.consentChanges(consents))
        .compose(customer -> ctx.json(CustomerJson.toJson(customer)))
        .onFailure(ctx::fail);
  }

  private void adminGet(RoutingContext ctx) {
    customers.get(ctx.pathParam("id"))
        .compose(customer -> ctx.json(CustomerJson.toJson(customer)))
        .onFailure(ctx::fail);
  }

  private static String subject(RoutingContext ctx) {
    return ctx.user().principal().getString("sub"); // BearerAuth has required it
  }

  /** The guest session the login request names, if any. */
  private static Optional<String> guestSession(RoutingContext ctx) {
    return Optional.ofNullable(ctx.request().getHeader(CartClient.SESSION_HEADER))
        .or(() -> Optional.ofNullable(ctx.request().getCookie(CartClient.SESSION_COOKIE)).map(Cookie::getValue));
  }
}
