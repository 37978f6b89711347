package io.webstore.customer;

import java.util.Optional;

/**
 * A bearer access token as handed to a client after login or refresh, with the refresh token that gets the next one
 * ({@code POST /api/v1/auth/refresh}) when the identity provider issued one.
 */
public record AccessToken(String token, String type, long expiresInSeconds, Optional<String> refreshToken) {

  public static AccessToken bearer(String token, long expiresInSeconds) {
    return new AccessToken(token, "Bearer", expiresInSeconds, Optional.empty());
  }

  public static AccessToken bearer(String token, long expiresInSeconds, String refreshToken) {
    return new AccessToken(token, "Bearer", expiresInSeconds, Optional.of(refreshToken));
  }
}
