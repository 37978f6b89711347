package io.webstore.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.impl.UserContextInternal;
import io.webstore.platform.auth.BearerTokens;
import io.webstore.platform.error.Forbidden;
import java.util.List;

/**
 * The router's handler for every operation the contract secures with {@code bearerAuth}: the token check of {@link
 * BearerTokens}, then, for operations under {@code /api/v1/admin/}, the {@code admin} group ({@link
 * BearerTokens#groups}: {@code cognito:groups}, or the local issuer's {@code groups}). Failures are 401 with {@code
 * WWW-Authenticate}, or 403, as problem+json.
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
          if (ctx.normalizedPath().startsWith(ADMIN_PREFIX) && !tokens.groups(user).contains(ADMIN_GROUP)) {
            ctx.fail(new Forbidden("this operation needs the admin group"));
            return;
          }
          ctx.next();
        })
        .onFailure(ctx::fail);
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
