package io.webstore.http;

import io.vertx.core.json.JsonArray;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.impl.UserContextInternal;
import io.webstore.platform.auth.BearerTokens;
import io.webstore.platform.error.Forbidden;
import java.util.List;

/**
 * The router's handler for every operation the contract secures with {@code bearerAuth}: the token check of {@link
 * BearerTokens}, then, for operations under {@code /api/v1/admin/}, the {@code admin} group in {@code
 * cognito:groups}. Failures are 401 with {@code WWW-Authenticate}, or 403, as problem+json.
 */
final class BearerAuth implements JWTAuthHandler {

  static final String ADMIN_PREFIX = "/api/v1/admin/";
  private static final String ADMIN_GROUP = "admin";

  private final BearerTokens tokens;

  BearerAuth(BearerTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    tokens.verify(ctx.request().getHeader("Authorization"))
        .onSuccess(user -> {
          ((UserContextInternal) ctx.userContext()).setUser(user); // what the stock handlers do
          if (ctx.normalizedPath().startsWith(ADMIN_PREFIX) && !groups(user).contains(ADMIN_GROUP)) {
            ctx.fail(new Forbidden("this operation needs the admin group"));
            return;
          }
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  static List<String> groups(User user) {
    JsonArray groups = user.principal().getJsonArray("cognito:groups");
    return groups == null ? List.of() : groups.stream().map(String::valueOf).toList();
  }

  @Override
  public JWTAuthHandler scopeDelimiter(String delimiter) {
    return this; // no scopes: authorization is by group
  }

  @Override
  public JWTAuthHandler withScope(String scope) {
    return this;
  }

  @Override
  public JWTAuthHandler withScopes(List<String> scopes) {
    return this;
  }
}
