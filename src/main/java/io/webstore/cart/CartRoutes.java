package io.webstore.cart;

import com.github.benmanes.caffeine.cache.Cache;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTP handlers of the cart operations. The owner is the customer of a valid bearer token, else the guest session
 * named by the {@code X-Session-Id} header or the {@code sid} cookie; a guest without a known, unexpired session gets
 * a new one, sent back as an {@code HttpOnly}, {@code SameSite=Lax} cookie. Guests always get their session id back
 * in {@code X-Session-Id} (what mobile clients keep).
 *
 * <p>A session, once known, never changes until it expires, so the sessions these handlers were told about are kept
 * ({@code knownSessions}, one cache for every HTTP verticle of the store, see {@link CartFeature}) and honoured until
 * they expire: a known guest's request then goes to the cart's addresses once, not first to {@code cart.session}.
 */
final class CartRoutes {

  static final String COOKIE = CartClient.SESSION_COOKIE;
  static final String HEADER = CartClient.SESSION_HEADER;

  private final CartClient carts;
  private final OptionalBearer bearer;
  private final CartSettings settings;
  private final Clock clock;
  private final Cache<String, GuestSession> knownSessions;

  CartRoutes(CartClient carts, OptionalBearer bearer, CartSettings settings, Clock clock,
      Cache<String, GuestSession> knownSessions) {
    this.carts = carts;
    this.bearer = bearer;
    this.settings = settings;
    this.clock = clock;
    this.knownSessions = knownSessions;
  }

  void mount(RouterBuilder builder) {
    // every cart answered as the cart verticle sent it, not decoded into a PricedCart and encoded again
    builder.getRoute("getCart").addHandler(ctx -> respond(ctx, owner(ctx).compose(carts::getJson)));
    builder.getRoute("addCartItem").addHandler(ctx -> {
      JsonObject body = ctx.body().asJsonObject(); // shape already checked against openapi.yaml
      respond(ctx, owner(ctx).compose(owner ->
          carts.addJson(owner, body.getString("sku"), body.getInteger("quantity"),
              Optional.ofNullable(ctx.request().getHeader("Idempotency-Key")))));
    });
    builder.getRoute("updateCartItem").addHandler(ctx -> {
      JsonObject body = ctx.body().asJsonObject();
      respond(ctx, owner(ctx).compose(owner ->
          carts.updateJson(owner, ctx.pathParam("sku"), body.getInteger("quantity"))));
    });
    builder.getRoute("removeCartItem").addHandler(ctx ->
        respond(ctx, owner(ctx).compose(owner -> carts.removeJson(owner, ctx.pathParam("sku")))));
    builder.getRoute("clearCart").addHandler(ctx -> respond(ctx, owner(ctx).compose(carts::clearJson)));
  }

  /** The cart of a {@code cart.*} reply ({@link CartJson#toJson}) as the response, or the failure to the router. */
  private static void respond(RoutingContext ctx, Future<JsonObject> cart) {
    cart.compose(json -> respond(ctx, CartJson.responseBody(json))).onFailure(ctx::fail);
  }

  private static Future<Void> respond(RoutingContext ctx, Buffer body) {
    return ctx.response()
        .putHeader("Cache-Control", "no-store") // a cart is personal, and a guest's names its session
        .putHeader("Content-Type", "application/json")
        .end(body);
  }

  private Future<String> owner(RoutingContext ctx) {
    return bearer.subject(ctx.request().getHeader("Authorization")).compose(subject -> subject.isPresent()
        ? Future.succeededFuture(Owners.customer(subject.get()))
        : guest(ctx));
  }

  private Future<String> guest(RoutingContext ctx) {
    Optional<String> named = Optional.ofNullable(ctx.request().getHeader(HEADER))
        .or(() -> Optional.ofNullable(ctx.request().getCookie(COOKIE)).map(Cookie::getValue));
    GuestSession known = named.map(knownSessions::getIfPresent).orElse(null);
    if (known != null && clock.instant().isBefore(known.expiresAt())) {
      ctx.response().putHeader(HEADER, known.sid());
      return Future.succeededFuture(known.owner());
    }
    return carts.session(named).map(session -> {
      knownSessions.put(session.sid(), new GuestSession(session.sid(), session.expiresAt(), false));
      ctx.response().putHeader(HEADER, session.sid());
      if (session.created()) {
        ctx.response().addCookie(Cookie.cookie(COOKIE, session.sid())
            .setPath("/")
            .setHttpOnly(true)
            .setSecure(settings.secureCookie())
            .setSameSite(CookieSameSite.LAX)
            .setMaxAge(Math.max(0, Duration.between(clock.instant(), session.expiresAt()).toSeconds())));
      }
      return session.owner();
    });
  }
}
