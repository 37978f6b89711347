package io.webstore.cart;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.catalog.CatalogClient;
import io.webstore.catalog.PriceQuote;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.OutOfStock;
import io.webstore.platform.error.Replies;
import io.webstore.platform.error.Validation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the cart addresses ({@value #GET}, {@value #ADD}, {@value #UPDATE}, {@value #REMOVE}, {@value #CLEAR},
 * {@value #MERGE}), guest sessions ({@value #SESSION}) and the checkout's hold on a cart ({@value #CLAIM}, {@value
 * #RELEASE}, {@value #REMOVE_ORDERED}; the rules are in {@link Cart}). Every reply that is a cart is priced now by the catalog.
 *
 * <p>A change reads the cart, applies the rule, and saves it conditionally on the version it read. Changes to one
 * cart are queued on this instance (one at a time per owner), so they only race with other instances; a lost race is
 * retried from a fresh read a bounded number of times with jittered backoff. Carts read are kept for a short time
 * ({@code cart.cacheTtlMs}); every write on this instance replaces the kept copy, and a lost race drops it.
 */
public final class CartVerticle extends VerticleBase {

  /** {@code {"owner"}} → the cart. */
  public static final String GET = "cart.get";
  /** {@code {"owner", "sku", "quantity"}} → the cart; adds units to the SKU's line. */
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

  private static final Logger log = LoggerFactory.getLogger(CartVerticle.class);
  private static final Pattern SKU = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
  /** Tries of one change when other instances keep winning the race for the same cart. */
  private static final int WRITE_ATTEMPTS = 10;
  private static final int MAX_QUANTITY = 1_000_000;
  /** How long a known session stays in memory; it is checked against its expiry on every use regardless. */
  private static final Duration SESSION_CACHE_TTL = Duration.ofMinutes(10);

  private final Services services;
  private final CartSettings settings;
  private final Clock clock;
  /** Tail of the queue of changes per owner; only touched on this verticle's event loop. */
  private final Map<String, Future<?>> queues = new HashMap<>();
  private CartStore store;
  private SessionStore sessions;
  private CatalogLink catalog;
  private InventoryClient inventory;
  private Cache<String, Cart> carts;
  private Cache<String, Session> knownSessions;
  private Counter conflicts;

  public CartVerticle(Services services, CartSettings settings, Clock clock) {
    this.services = services;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    WebstoreConfig config = services.config();
    MeterRegistry meters = services.meters();
    store = new DynamoCartStore(vertx, services.aws().dynamo(), config.dynamo().table(DynamoCartStore.TABLE.name()),
        meters, clock);
    sessions = new DynamoSessionStore(vertx, services.aws().dynamo(),
        config.dynamo().table(DynamoSessionStore.TABLE.name()), meters);
    catalog = new CatalogLink(new CatalogClient(vertx, settings.callTimeout()));
    inventory = new InventoryClient(vertx);
    carts = Caffeine.newBuilder().expireAfterWrite(settings.cacheTtl()).maximumSize(settings.cacheMaxEntries())
        .build();
    knownSessions = Caffeine.newBuilder().expireAfterWrite(SESSION_CACHE_TTL)
        .maximumSize(settings.cacheMaxEntries()).build();
    conflicts = Counter.builder("webstore.cart.write.conflicts")
        .description("cart writes that lost the race to another writer and were retried or refused")
        .register(meters);
    return Future.all(List.of(
        consumer(GET, body -> get(Owners.require(body.getValue("owner"), "/owner"))),
        consumer(ADD, this::add),
        consumer(UPDATE, this::update),
        consumer(REMOVE, this::remove),
        consumer(CLEAR, body -> change("clear", Owners.require(body.getValue("owner"), "/owner"),
            cart -> Future.succeededFuture(cart.cleared()))),
        consumer(MERGE, this::merge),
        consumer(SESSION, this::session),
        consumer(CLAIM, body -> checkoutChange("claim", body, (cart, recordId) -> cart.claimedBy(recordId,
            requireText(body, "order_id"), body.getLong("version", 0L), units(body)))),
        consumer(RELEASE, body -> checkoutChange("release", body, Cart::released)),
        consumer(REMOVE_ORDERED, body -> checkoutChange("removeOrdered", body,
            (cart, recordId) -> cart.withoutOrdered(recordId, units(body))))));
  }

  private Future<Void> consumer(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> answer(msg, handler)).completion();
  }

  private static void answer(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future.succeededFuture(msg.body() == null ? new JsonObject() : msg.body())
        .compose(handler) // a rule broken while reading the request fails this future, not the consumer
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, err));
  }

  // ---- reads

  private Future<JsonObject> get(String owner) {
    return load(owner, true).compose(this::priced);
  }

  private Future<JsonObject> priced(Cart cart) {
    return catalog.quotes(cart.skus())
        .map(quotes -> CartJson.toJson(cart.priced(quotes, settings.defaultCurrency())));
  }

  private Future<Cart> load(String owner, boolean cached) {
    Cart kept = cached ? carts.getIfPresent(owner) : null;
    if (kept != null) {
      return Future.succeededFuture(kept);
    }
    return store.find(owner).onSuccess(found -> carts.put(owner, found));
  }

  // ---- changes

  private Future<JsonObject> add(JsonObject body) {
    String owner = Owners.require(body.getValue("owner"), "/owner");
    String sku = sku(body);
    int quantity = quantity(body);
    // the checks that need no cart come first and touch only the catalog and Redis: a sold-out SKU costs no
    // DynamoDB call, which matters when a flash sale sells out under load
    Future<Map<String, PriceQuote>> quoted = catalog.quotes(List.of(sku));
    Future<Map<String, Integer>> stocked = inventory.availability(List.of(sku));
    return Future.all(quoted, stocked).compose(checked -> {
      if (!quoted.result().containsKey(sku)) {
        return Future.failedFuture(new NotFound("product", sku));
      }
      int available = stocked.result().getOrDefault(sku, 0);
      if (available < quantity) {
        return Future.failedFuture(outOfStock(sku, available));
      }
      return change("add", owner, cart -> quotesFor(cart, sku).map(quotes -> {
        Cart added = cart.add(sku, quantity, quotes, settings.limits());
        int total = added.line(sku).orElseThrow().quantity();
        if (total > available) {
          throw outOfStock(sku, available);
        }
        return added;
      }));
    });
  }

  private Future<JsonObject> update(JsonObject body) {
    String owner = Owners.require(body.getValue("owner"), "/owner");
    String sku = sku(body);
    int quantity = quantity(body);
    return inventory.availability(List.of(sku)).compose(stock -> change("update", owner,
        cart -> quotesFor(cart, sku).map(quotes -> {
          int present = cart.line(sku).map(CartLine::quantity).orElse(0);
          Cart updated = cart.withQuantity(sku, quantity, quotes, settings.limits());
          int available = stock.getOrDefault(sku, 0);
          if (quantity > present && quantity > available) { // lowering a line is always allowed
            throw outOfStock(sku, available);
          }
          return updated;
        })));
  }

  private Future<JsonObject> remove(JsonObject body) {
    String owner = Owners.require(body.getValue("owner"), "/owner");
    String sku = sku(body);
    return change("remove", owner, cart -> Future.succeededFuture(cart.without(sku)));
  }

  private Future<Map<String, PriceQuote>> quotesFor(Cart cart, String sku) {
    Set<String> skus = new LinkedHashSet<>(cart.skus());
    skus.add(sku);
    return catalog.quotes(skus);
  }

  /** Applies {@code rule} to the owner's cart and saves the result (if it differs), queued per owner, retried. */
  private Future<JsonObject> change(String operation, String owner, Function<Cart, Future<Cart>> rule) {
    return changed(operation, owner, rule, true).compose(this::priced);
  }

  /**
   * A checkout's change of the cart ({@code record_id} names the checkout), always judged on a fresh read: a kept
   * copy could hide a claim another instance wrote, and a release or removal would then wrongly do nothing.
   */
  private Future<JsonObject> checkoutChange(String operation, JsonObject body,
      BiFunction<Cart, String, Cart> rule) {
    String owner = Owners.require(body.getValue("owner"), "/owner");
    String recordId = requireText(body, "record_id");
    return changed(operation, owner, cart -> Future.succeededFuture(rule.apply(cart, recordId)), false)
        .map(cart -> new JsonObject().put("version", cart.version()));
  }

  private Future<Cart> changed(String operation, String owner, Function<Cart, Future<Cart>> rule,
      boolean cachedFirst) {
    return queued(owner, () -> attempt(owner, rule, 1, cachedFirst))
        .andThen(result -> Counter.builder("webstore.cart.changes")
            .tag("operation", operation)
            .tag("outcome", result.succeeded() ? "success" : result.cause().getClass().getSimpleName())
            .register(services.meters())
            .increment());
  }

  private Future<Cart> attempt(String owner, Function<Cart, Future<Cart>> rule, int attempt, boolean cachedFirst) {
    return load(owner, cachedFirst && attempt == 1) // a retry reads afresh: the kept copy lost the race
        .compose(current -> rule.apply(current).compose(next -> next.equals(current)
            ? Future.succeededFuture(current)
            : store.save(next, expiry(owner)).onSuccess(saved -> carts.put(owner, saved))))
        .recover(err -> {
          if (!(err instanceof Conflict)) {
            return Future.failedFuture(err);
          }
          carts.invalidate(owner);
          conflicts.increment();
          if (attempt >= WRITE_ATTEMPTS) {
            log.warn("cart.write.gave_up attempts={}", attempt);
            return Future.failedFuture(err);
          }
          long backoff = 1 + ThreadLocalRandom.current().nextLong(5L * attempt);
          return vertx.timer(backoff).compose(waited -> attempt(owner, rule, attempt + 1, cachedFirst));
        });
  }

  /** Runs {@code work} after every change to the same owner queued before it on this instance has finished. */
  private <T> Future<T> queued(String owner, Supplier<Future<T>> work) {
    Future<?> before = queues.getOrDefault(owner, Future.succeededFuture());
    Future<T> mine = before.transform(previous -> work.get());
    queues.put(owner, mine);
    mine.onComplete(done -> queues.remove(owner, mine)); // the last in line leaves no entry behind
    return mine;
  }

  /** Guest carts expire with their session at the latest (for the table's TTL); a customer's cart is kept. */
  private Optional<Instant> expiry(String owner) {
    return Owners.isSession(owner)
        ? Optional.of(clock.instant().plus(settings.sessionTtl()))
        : Optional.empty();
  }

  // ---- merge

  private Future<JsonObject> merge(JsonObject body) {
    String from = Owners.require(body.getValue("from"), "/from");
    String to = Owners.require(body.getValue("to"), "/to");
    if (!Owners.isSession(from) || Owners.isSession(to)) {
      return Future.failedFuture(Validation.of("/from", "a merge goes from session:<sid> to customer:<id>"));
    }
    String sid = Owners.sid(from);
    Future<Optional<Session>> session = Session.wellFormed(sid)
        ? activeSession(sid)
        : Future.succeededFuture(Optional.empty());
    return session.compose(active -> active.isEmpty()
        ? get(to).map(cart -> cart.put("merged_lines", 0)) // an expired session's cart is nobody's any more
        : queued(from, () -> mergeQueued(from, to)));
  }

  /**
   * The customer's cart records which guest cart version it took in ({@code last_merge}); the guest cart is emptied
   * afterwards with a conditional write, which moves its version on. Run again after a crash between the two writes,
   * the merge finds its marker and only empties the guest cart; run again after both, the guest cart is empty.
   */
  private Future<JsonObject> mergeQueued(String from, String to) {
    return store.find(from).compose(guest -> {
      if (guest.isEmpty()) {
        return get(to).map(cart -> cart.put("merged_lines", 0));
      }
      String marker = from + "#" + guest.version();
      AtomicInteger merged = new AtomicInteger(); // of the attempt that was saved
      return change("merge", to, cart -> {
        if (cart.lastMerge().filter(marker::equals).isPresent()) {
          return Future.succeededFuture(cart);
        }
        Set<String> skus = new LinkedHashSet<>(cart.skus());
        skus.addAll(guest.skus());
        return catalog.quotes(skus).map(quotes -> {
          Cart.Merge merge = cart.merge(guest, marker, quotes, settings.limits());
          merged.set(merge.mergedLines());
          return merge.cart();
        });
      }).compose(customerCart -> store.save(guest.cleared(), expiry(from))
          .onSuccess(cleared -> carts.put(from, cleared))
          .onFailure(err -> carts.invalidate(from))
          .map(cleared -> {
            log.info("cart.merged to={} lines={} guest_lines={}", to, merged.get(), guest.lines().size());
            return customerCart.put("merged_lines", merged.get());
          }));
    });
  }

  // ---- sessions

  private Future<JsonObject> session(JsonObject body) {
    Object given = body.getValue("sid");
    Future<Optional<Session>> found = given instanceof String sid && Session.wellFormed(sid)
        ? activeSession(sid)
        : Future.succeededFuture(Optional.empty());
    return found.compose(session -> session.isPresent()
        ? Future.succeededFuture(CartJson.session(session.get(), false))
        : startSession(1).map(started -> CartJson.session(started, true)));
  }

  private Future<Optional<Session>> activeSession(String sid) {
    Instant now = clock.instant();
    Session kept = knownSessions.getIfPresent(sid);
    Future<Optional<Session>> session = kept != null
        ? Future.succeededFuture(Optional.of(kept))
        : sessions.find(sid).onSuccess(found -> found.ifPresent(s -> knownSessions.put(sid, s)));
    return session.map(found -> found.filter(s -> s.activeAt(now)));
  }

  private Future<Session> startSession(int attempt) {
    Instant now = clock.instant();
    // stored in whole seconds: the copy kept here must say what a read from the table will say
    Session session = Session.start(now, now.plus(settings.sessionTtl()).truncatedTo(ChronoUnit.SECONDS));
    return sessions.create(session)
        .onSuccess(created -> {
          knownSessions.put(created.sid(), created);
          Counter.builder("webstore.cart.sessions.started").register(services.meters()).increment();
        })
        .recover(err -> err instanceof Conflict && attempt < 3 ? startSession(attempt + 1) : Future.failedFuture(err));
  }

  // ---- input

  private static String sku(JsonObject body) {
    if (!(body.getValue("sku") instanceof String sku) || !SKU.matcher(sku).matches()) {
      throw Validation.of("/sku", "sku must be 1-64 letters, digits, '.', '_' or '-'");
    }
    return sku;
  }

  private static int quantity(JsonObject body) {
    Object value = body.getValue("quantity");
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
        || ((Number) value).longValue() > MAX_QUANTITY) {
      throw Validation.of("/quantity", "quantity must be a whole number from 1");
    }
    return ((Number) value).intValue();
  }

  private static String requireText(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String text) || text.isBlank()) {
      throw Validation.of("/" + field, field + " is required");
    }
    return text;
  }

  /** {@code lines} of a checkout's request as units per SKU. */
  private static Map<String, Integer> units(JsonObject body) {
    Map<String, Integer> units = new HashMap<>();
    for (Object line : body.getJsonArray("lines", new JsonArray())) {
      JsonObject json = (JsonObject) line;
      units.merge(sku(json), quantity(json), Integer::sum);
    }
    return units;
  }

  private static OutOfStock outOfStock(String sku, int available) {
    return new OutOfStock(available == 0
        ? sku + " is out of stock"
        : "only " + available + " units of " + sku + " are available", new JsonArray().add(sku));
  }
}
