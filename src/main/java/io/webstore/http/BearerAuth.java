package io.webstore.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.UserContextInternal;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.error.Forbidden;
import io.webstore.platform.error.Unauthorized;
import java.util.List;

/**
 * Verifies the bearer token of every operation the contract secures with {@code bearerAuth}, for both profiles: the
 * signature against the JWKS, {@code exp} (required), {@code nbf}, issuer and audience (Cognito access tokens carry
 * the app client in {@code client_id} instead). Operations under {@code /api/v1/admin/} also need the {@code admin}
 * group in {@code cognito:groups}. Failures are 401 with {@code WWW-Authenticate}, or 403, as problem+json.
 */
final class BearerAuth implements JWTAuthHandler {

  static final String ADMIN_PREFIX = "/api/v1/admin/";
  private static final String ADMIN_GROUP = "admin";

  private final JWTAuth verifier;
  private final WebstoreConfig.Auth config;

  BearerAuth(JWTAuth verifier, WebstoreConfig.Auth config) {
    this.verifier = verifier;
    this.config = config;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      reject(ctx, null, "a bearer token is required");
      return;
    }
    String token = header.substring(7).trim();
    verifier.authenticate(new TokenCredentials(token))
        .onComplete(result -> {
          if (result.failed()) {
            reject(ctx, "invalid_token", "the token is invalid or expired");
            return;
          }
          User user = result.result();
          String problem = claimsProblem(user.principal());
          if (problem != null) {
            reject(ctx, "invalid_token", problem);
            return;
          }
          ((UserContextInternal) ctx.userContext()).setUser(user); // what the stock handlers do
          if (ctx.normalizedPath().startsWith(ADMIN_PREFIX) && !groups(user).contains(ADMIN_GROUP)) {
            ctx.fail(new Forbidden("this operation needs the admin group"));
            return;
          }
          ctx.next();
        });
  }

  private String claimsProblem(JsonObject claims) {
    if (!(claims.getValue("exp") instanceof Number)) {
      return "the token has no expiry";
    }
    if (claims.getString("sub") == null) {
      return "the token has no subject";
    }
    if (!config.local()) {
      String clientId = claims.getString("client_id", claims.getString("aud"));
      if (!config.cognitoClientId().orElseThrow().equals(clientId)) {
        return "the token was issued to another client";
      }
    }
    return null;
  }

  private void reject(RoutingContext ctx, String error, String description) {
    String challenge = "Bearer realm=\"webstore\""
        + (error == null ? "" : ", error=\"" + error + "\", error_description=\"" + description + "\"");
    ctx.response().putHeader("WWW-Authenticate", challenge);
    ctx.fail(new Unauthorized(description));
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
