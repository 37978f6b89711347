package io.webstore.customer;

/** A bearer access token as handed to a client after login. */
public record AccessToken(String token, String type, long expiresInSeconds) {

  public static AccessToken bearer(String token, long expiresInSeconds) {
    return new AccessToken(token, "Bearer", expiresInSeconds);
  }
}
