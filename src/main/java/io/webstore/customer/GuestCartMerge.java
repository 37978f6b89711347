package io.webstore.customer;

import io.vertx.core.Future;
import io.webstore.cart.CartClient;
import io.webstore.platform.auth.BearerTokens;
import java.util.Optional;

/**
 * At login: the guest cart of the request's session ({@code sid} cookie or {@code X-Session-Id}) merges into the cart
 * of the customer the new access token names, before the token is sent, so the customer's next read of the cart shows
 * the merged lines.
 */
final class GuestCartMerge {

  private final CartClient carts;
  private final BearerTokens tokens;

  GuestCartMerge(CartClient carts, BearerTokens tokens) {
    this.carts = carts;
    this.tokens = tokens;
  }

  /** Never fails: a login succeeds even when the merge cannot be done now. */
  Future<Void> merge(Optional<String> sid, String accessToken) {
    if (sid.isEmpty()) {
      return Future.succeededFuture();
    }
    // the token's subject is the customer id in both identity providers; the token was issued a moment ago (by this
    // store or the user pool), and verifying it costs a signature check, not a call
    return tokens.verify("Bearer " + accessToken)
        .compose(user -> carts.mergeAtLogin(sid, BearerTokens.claims(user).getString("sub")))
        .recover(err -> Future.succeededFuture());
  }
}
