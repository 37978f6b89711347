package io.webstore.platform.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.auth.User;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.error.Unauthorized;
import io.webstore.platform.error.Unavailable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one check of a bearer token, for both profiles and for every caller (the router's security handler and the
 * operations that also serve guests): the signature against the JWKS, {@code exp} (required), {@code nbf}, issuer,
 * audience, {@code token_use} {@code access}, and in Cognito mode the app client in {@code client_id}. A failure is
 * {@link Unauthorized}; an invalid (rather than missing) token carries {@code error: invalid_token} for the {@code
 * WWW-Authenticate} challenge. While cognito mode holds no key set yet, a token is {@link Unavailable} (503): it may
 * well be valid.
 */
public final class BearerTokens {

  private final AuthKeys keys;
  private final WebstoreConfig.Auth config;

  BearerTokens(AuthKeys keys, WebstoreConfig.Auth config) {
    this.keys = keys;
    this.config = config;
  }

  /** Verifies an {@code Authorization} header value; the user's attributes hold the whole payload. */
  public Future<User> verify(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)
        || authorizationHeader.isBlank() || authorizationHeader.length() <= 7) {
      return Future.failedFuture(new Unauthorized("a bearer token is required"));
    }
    return keys.authenticate(authorizationHeader.substring(7).trim())
        .recover(err -> err instanceof Unavailable ? Future.failedFuture(err) : invalid("the token is invalid or expired"))
        .compose(user -> {
          // the whole payload: the principal omits exp, iat and nbf (vertx-auth-jwt keeps those in attributes)
          JsonObject claims = user.attributes().getJsonObject("accessToken");
          String problem = claims == null ? "the token has no claims" : claimsProblem(claims);
          return problem == null ? Future.succeededFuture(user) : invalid(problem);
        });
  }

  /** The verified payload of a user returned by {@link #verify}. */
  public static JsonObject claims(User user) {
    return user.attributes().getJsonObject("accessToken");
  }

  /**
   * The groups a verified user is in: Cognito's {@code cognito:groups} (which the local issuer also writes), and in
   * local mode also a {@code groups} claim.
   */
  public List<String> groups(User user) {
    JsonObject claims = claims(user);
    Set<String> groups = new LinkedHashSet<>(strings(claims.getValue("cognito:groups")));
    if (config.local()) {
      groups.addAll(strings(claims.getValue("groups")));
    }
    return List.copyOf(groups);
  }

  private static List<String> strings(Object claim) {
    return claim instanceof JsonArray array ? array.stream().filter(String.class::isInstance).map(String.class::cast)
        .toList() : List.of();
  }

  private String claimsProblem(JsonObject claims) {
    if (!(claims.getValue("exp") instanceof Number)) {
      return "the token has no expiry";
    }
    if (!(claims.getValue("sub") instanceof String)) {
      return "the token has no subject";
    }
    if (!"access".equals(claims.getValue("token_use"))) { // an ID token is not a credential for this API
      return "the token is not an access token";
    }
    // Cognito access tokens name the app client in client_id (they carry no aud)
    if (!config.local() && !config.cognitoClientId().orElseThrow().equals(claims.getValue("client_id"))) {
      return "the token was issued to another client";
    }
    return null;
  }

  private static <T> Future<T> invalid(String description) {
    return Future.failedFuture(new Unauthorized(description, new JsonObject().put("error", "invalid_token")));
  }
}
