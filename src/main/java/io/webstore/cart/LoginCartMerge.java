package io.webstore.cart;

import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import io.webstore.platform.bootstrap.Services;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the login handler: when the login request carries a guest session ({@code sid} cookie or {@code X-Session-Id}),
 * merges that guest cart into the cart of the customer the new access token names ({@code cart.merge}), before the
 * token is sent, so the customer's next read of the cart shows the merged lines.
 */
public final class LoginCartMerge {

  private static final Logger log = LoggerFactory.getLogger(LoginCartMerge.class);

  private final CartClient carts;
  private final JWTAuth verifier;

  public LoginCartMerge(Services services) {
    this.carts = new CartClient(services.vertx(),
        CartSettings.from(services.config()).callTimeout().multipliedBy(3));
    this.verifier = services.authKeys().verifier();
  }

  /**
   * Merges the request's guest cart, if any, into the cart of the customer {@code accessToken} (just issued by the
   * login) names. Never fails: a login succeeds even when the merge cannot be done now; the guest cart then stays as
   * it is and a later login with the same session merges it.
   */
  public Future<Void> mergeGuestCart(RoutingContext ctx, String accessToken) {
    Optional<String> sid = Optional.ofNullable(ctx.request().getHeader(CartRoutes.HEADER))
        .or(() -> Optional.ofNullable(ctx.request().getCookie(CartRoutes.COOKIE)).map(Cookie::getValue))
        .filter(Session::wellFormed);
    if (sid.isEmpty()) {
      return Future.succeededFuture();
    }
    // the token's subject is the customer id in both identity providers; the token was issued a moment ago by this
    // store, and verifying it costs a signature check, not a call
    return verifier.authenticate(new TokenCredentials(accessToken))
        .compose(user -> carts.merge(Owners.session(sid.get()), Owners.customer(user.principal().getString("sub"))))
        .<Void>mapEmpty()
        .recover(err -> {
          log.warn("cart.merge_at_login.failed error={}", err.toString());
          return Future.succeededFuture();
        });
  }
}
