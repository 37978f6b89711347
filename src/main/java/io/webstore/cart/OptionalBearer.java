package io.webstore.cart;

import io.vertx.core.Future;
import io.webstore.platform.auth.BearerTokens;
import java.util.Optional;

/**
 * Bearer authentication for operations that also serve guests. The router cannot express it: with {@code security:
 * [{bearerAuth: []}, {}]} a bad token falls through to the anonymous alternative, and a customer with an expired token
 * would silently get a guest cart. Here no {@code Authorization} header means a guest, and a header that does not
 * carry a valid token is a 401 from the same {@link BearerTokens} check the router uses.
 */
final class OptionalBearer {

  private final BearerTokens tokens;

  OptionalBearer(BearerTokens tokens) {
    this.tokens = tokens;
  }

  /** The verified token's subject, or empty when there is no {@code Authorization} header ({@code null}). */
  Future<Optional<String>> subject(String header) {
    if (header == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return tokens.verify(header).map(user -> Optional.of(BearerTokens.claims(user).getString("sub")));
  }
}
