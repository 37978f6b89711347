package io.webstore.cart;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed access to the cart addresses for HTTP handlers and other features (checkout, login). Owners are {@code
 * customer:<id>} ({@link Owners#customer}) or {@code session:<sid>} ({@link Owners#session}). Every cart comes back
 * priced by the catalog now. Failures arrive as the domain exceptions the verticle raised: {@code NotFound} (unknown
 * SKU, no such line), {@code OutOfStock}, {@code Validation} (limits, with the {@code limit} in the error), {@code
 * Conflict} (lost too many races), {@code Unavailable}.
 */
public final class CartClient {

  private static final Logger log = LoggerFactory.getLogger(CartClient.class);

  /** {@code {"owner"}} → the cart. */
  public static final String GET = "cart.get";
  /**
   * {@code {"owner"}} → {@code {"owner", "version", "lines": [{"sku", "quantity"}], "checkout"?}}: the cart unpriced,
   * for a reader that prices it itself.
   */
  public static final String CONTENTS = "cart.contents";
  /**
   * {@code {"owner", "sku", "quantity", "key"?, "available"?}} → the cart; adds units to the SKU's line, once per
   * {@code key} when one is given (a resend with a key the cart remembers changes nothing and answers the cart).
   * {@code available}: the units of the SKU the sender read from the live ledger just before, which the add is then
   * judged against instead of a read of its own.
   */
  public static final String ADD = "cart.add";
  /** {@code {"owner", "sku", "quantity"}} → the cart; sets the units of a line that exists. */
  public static final String UPDATE = "cart.update";
  /** {@code {"owner", "sku"}} → the cart; removes the line, if any. */
  public static final String REMOVE = "cart.remove";
  /** {@code {"owner"}} → the empty cart. */
  public static final String CLEAR = "cart.clear";
  /**
   * {@code {"from": "session:<sid>", "to": "customer:<id>"}} → the customer's cart plus {@code "merged_lines"}; adds
   * the guest lines capped by the limits, then empties the guest cart. Idempotent.
   */
  public static final String MERGE = "cart.merge";
  /**
   * {@code {"sid"?}} → {@code {"sid", "expires_at", "created"}}: the named session if it is known and unexpired, else
   * a new one.
   */
  public static final String SESSION = "cart.session";
  /**
   * {@code {"owner", "record_id", "order_id", "version", "lines": [{"sku", "quantity"}]}} → {@code {"version"}}: the
   * checkout of {@code record_id}, which priced the cart at {@code version}, claims it ({@link Cart#claimedBy}). Fails
   * {@code CartCheckedOut} or {@code Conflict}. Idempotent.
   */
  public static final String CLAIM = "cart.claim";
  /** {@code {"owner", "record_id"}} → {@code {"version"}}: drops that checkout's claim, if it holds it. */
  public static final String RELEASE = "cart.release";
  /**
   * {@code {"owner", "record_id", "lines": [{"sku", "quantity"}]}} → {@code {"version"}}: removes the units that
   * checkout ordered and its claim, if it holds it ({@link Cart#withoutOrdered}). Idempotent.
   */
  public static final String REMOVE_ORDERED = "cart.removeOrdered";

  private final Vertx vertx;
  private final DeliveryOptions options;
  private final StockCheck stock;
  private final KeptCarts kept;

  /** The header that names a guest session (what mobile clients keep). */
  public static final String SESSION_HEADER = "X-Session-Id";
  /** The cookie that names a guest session (browsers). */
  public static final String SESSION_COOKIE = "sid";

  /** The cart owner of a signed-in customer, by token subject. */
  public static String customer(String subject) {
    return Owners.customer(subject);
  }

  /** The cart owner of a guest session. */
  public static String session(String sid) {
    return Owners.session(sid);
  }

  public CartClient(Vertx vertx) {
    this(vertx, Duration.ofSeconds(10));
  }

  public CartClient(Vertx vertx, Duration timeout) {
    this(vertx, timeout, null, null);
  }

  /**
   * A client whose adds check the stock themselves first ({@code stock}; null: the cart verticle checks it) and whose
   * reads answer a kept cart on the caller's event loop ({@code kept}; null: every read asks {@code cart.get}).
   */
  CartClient(Vertx vertx, Duration timeout, StockCheck stock, KeptCarts kept) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    this.stock = stock;
    this.kept = kept;
  }

  public Future<PricedCart> get(String owner) {
    return getJson(owner).map(CartJson::fromJson);
  }

  /**
   * {@code cart.get} as the cart verticle answers it (see {@link CartJson#toJson}), this caller's own copy: read here
   * when the cart is kept ({@link KeptCarts}), else asked for.
   */
  Future<JsonObject> getJson(String owner) {
    if (kept != null) {
      Optional<Future<JsonObject>> read = kept.read(owner);
      if (read.isPresent()) {
        return read.get();
      }
    }
    return request(GET, new JsonObject().put("owner", owner));
  }

  /** The owner's cart as stored, unpriced, with the claim of a running checkout, if any. */
  public Future<CartContents> contents(String owner) {
    return request(CONTENTS, new JsonObject().put("owner", owner)).map(CartJson::contents);
  }

  /** Adds units to the SKU's line (a new line when there is none). */
  public Future<PricedCart> add(String owner, String sku, int quantity) {
    return add(owner, sku, quantity, Optional.empty());
  }

  /** The add of {@link #add(String, String, int)}, once per {@code key} (the client's {@code Idempotency-Key}). */
  public Future<PricedCart> add(String owner, String sku, int quantity, Optional<String> key) {
    return addJson(owner, sku, quantity, key).map(CartJson::fromJson);
  }

  /**
   * {@link #add(String, String, int, Optional)} answered as the cart verticle sent it (the caller's own copy). With a
   * {@link StockCheck}, the stock is checked before {@code cart.add} is sent (a sold-out add is answered without it)
   * and the units read go with it.
   */
  Future<JsonObject> addJson(String owner, String sku, int quantity, Optional<String> key) {
    JsonObject body = new JsonObject().put("owner", owner).put("sku", sku).put("quantity", quantity);
    key.ifPresent(value -> body.put("key", value));
    if (stock == null) {
      return request(ADD, body);
    }
    return stock.available(sku, quantity).compose(available -> request(ADD, body.put("available", available)));
  }

  /** Sets the units of a line already in the cart. */
  public Future<PricedCart> update(String owner, String sku, int quantity) {
    return updateJson(owner, sku, quantity).map(CartJson::fromJson);
  }

  Future<JsonObject> updateJson(String owner, String sku, int quantity) {
    return request(UPDATE, new JsonObject().put("owner", owner).put("sku", sku).put("quantity", quantity));
  }

  /** Removes the SKU's line; the cart as it is when there is none. */
  public Future<PricedCart> remove(String owner, String sku) {
    return removeJson(owner, sku).map(CartJson::fromJson);
  }

  Future<JsonObject> removeJson(String owner, String sku) {
    return request(REMOVE, new JsonObject().put("owner", owner).put("sku", sku));
  }

  public Future<PricedCart> clear(String owner) {
    return clearJson(owner).map(CartJson::fromJson);
  }

  Future<JsonObject> clearJson(String owner) {
    return request(CLEAR, new JsonObject().put("owner", owner));
  }

  /**
   * Moves a guest cart ({@code session:<sid>}) into a customer's ({@code customer:<id>}), capped by the limits, and
   * empties the guest cart; the customer's cart after the merge. Idempotent; an unknown or expired session merges
   * nothing.
   */
  public Future<PricedCart> merge(String fromSession, String toCustomer) {
    return request(MERGE, new JsonObject().put("from", fromSession).put("to", toCustomer))
        .map(CartJson::fromJson);
  }

  /**
   * Claims the owner's cart for the checkout of {@code recordId} (placing {@code orderId}), which priced it at {@code
   * pricedVersion} and orders {@code units} (units per SKU). Fails {@code CartCheckedOut} when another checkout took
   * the cart, {@code Conflict} when the cart no longer holds the priced units. Idempotent.
   */
  public Future<Void> claim(String owner, String recordId, String orderId, long pricedVersion,
      Map<String, Integer> units) {
    return request(CLAIM, new JsonObject().put("owner", owner).put("record_id", recordId)
        .put("order_id", orderId).put("version", pricedVersion).put("lines", lines(units))).mapEmpty();
  }

  /** Drops the claim of {@code recordId} (its checkout rolled back), leaving the lines; nothing when it has none. */
  public Future<Void> release(String owner, String recordId) {
    return request(RELEASE, new JsonObject().put("owner", owner).put("record_id", recordId))
        .mapEmpty();
  }

  /**
   * Ends the claim of {@code recordId} (its order stands): removes exactly the ordered {@code units} and keeps what
   * was added meanwhile. Nothing when the claim is gone (done already). Idempotent.
   */
  public Future<Void> removeOrdered(String owner, String recordId, Map<String, Integer> units) {
    return request(REMOVE_ORDERED, new JsonObject().put("owner", owner).put("record_id", recordId)
        .put("lines", lines(units))).mapEmpty();
  }

  private static JsonArray lines(Map<String, Integer> units) {
    JsonArray lines = new JsonArray();
    units.forEach((sku, quantity) -> lines.add(new JsonObject().put("sku", sku).put("quantity", quantity)));
    return lines;
  }

  /** The guest session named by {@code sid} if it is known and unexpired, else a new one. */
  public Future<GuestSession> session(Optional<String> sid) {
    JsonObject body = new JsonObject();
    sid.ifPresent(id -> body.put("sid", id));
    return request(SESSION, body).map(CartJson::guestSession);
  }

  /**
   * At login: merges the guest cart of {@code sid}, when it names a well-formed session, into the cart of {@code
   * customerId}. Never fails: a login succeeds even when the merge cannot be done now; the guest cart then stays as it
   * is and a later login with the same session merges it.
   */
  public Future<Void> mergeAtLogin(Optional<String> sid, String customerId) {
    Optional<String> session = sid.filter(Session::wellFormed);
    if (session.isEmpty()) {
      return Future.succeededFuture();
    }
    return merge(Owners.session(session.get()), Owners.customer(customerId))
        .<Void>mapEmpty()
        .recover(err -> {
          log.warn("cart.merge_at_login.failed error={}", err.toString());
          return Future.succeededFuture();
        });
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(reply -> reply.body())
        .recover(Replies::recover);
  }
}
