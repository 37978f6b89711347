package io.webstore.customer;

import io.vertx.core.Future;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.webstore.cart.CartClient;
import java.util.Optional;

/**
 * At login: the guest cart of the request's session ({@code sid} cookie or {@code X-Session-Id}) merges into the cart
 * of the customer the new access token names, before the token is sent, so the customer's next read of the cart shows
 * the merged lines.
 */
final class GuestCartMerge {

  private final CartClient carts;
  private final JWTAuth verifier;

  GuestCartMerge(CartClient carts, JWTAuth verifier) {
    this.carts = carts;
    this.verifier = verifier;
  }

  /** Never fails: a login succeeds even when the merge cannot be done now. */
  Future<Void> merge(Optional<String> sid, String accessToken) {
    if (sid.isEmpty()) {
      return Future.succeededFuture();
    }
    // the token's subject is the customer id in both identity providers; the token was issued a moment ago by this
    // store, and verifying it costs a signature check, not a call
    return verifier.authenticate(new TokenCredentials(accessToken))
        .compose(user -> carts.mergeAtLogin(sid, user.principal().getString("sub")))
        .recover(err -> Future.succeededFuture());
  }
}
