package io.webstore.cart;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.webstore.catalog.PriceQuote;
import io.webstore.inventory.InventoryClient;
import io.webstore.platform.resilience.Retries;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.OutOfStock;
import io.webstore.platform.error.Validation;
import io.webstore.platform.metrics.MeterCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cart's rules over its ports (the cart and session stores, the catalog's quotes, live stock): stock checks, the
 * merge of a guest cart, guest sessions, the checkout's claim, and the write discipline. The rules of one cart are in
 * {@link Cart}; every cart answered is priced now by the catalog.
 *
 * <p>A change reads the cart, applies the rule, and saves it conditionally on the version it read. Changes to one
 * cart are queued on this instance (one at a time per owner), so they only race with other instances; a lost race is
 * retried from a fresh read a bounded number of times with jittered backoff. Carts read are kept for a short time
 * ({@code cart.cacheTtlMs}); every write on this instance replaces the kept copy, and a lost race drops it. One
 * instance serves one verticle: its queues and caches are touched only on that verticle's event loop, except that
 * the HTTP verticles read the kept carts ({@link KeptCarts}; only this instance writes them).
 */
final class CartService {

  /** A merge's result: the customer's cart and how many guest lines it took in. */
  record Merged(PricedCart cart, int mergedLines) {}

  /** A guest session and whether this call started it. */
  record GuestSessionStarted(Session session, boolean created) {}

  private static final Logger log = LoggerFactory.getLogger(CartService.class);
  /** Tries of one change when other instances keep winning the race for the same cart. */
  private static final int WRITE_ATTEMPTS = 10;
  /** How long a known session stays in memory; it is checked against its expiry on every use regardless. */
  static final Duration SESSION_CACHE_TTL = Duration.ofMinutes(10);

  private final Retries writes;
  private final Retries sessionStarts;
  private final CartStore store;
  private final SessionStore sessions;
  private final CatalogLink catalog;
  private final InventoryClient inventory;
  private final CartSettings settings;
  private final MeterRegistry meters;
  private final Clock clock;
  /** Tail of the queue of changes per owner. */
  private final Map<String, Future<?>> queues = new HashMap<>();
  private final Cache<String, Cart> carts;
  private final Cache<String, Session> knownSessions;
  private final Counter conflicts;

  /** {@code carts}: where this instance keeps the carts it read or wrote ({@link #keptCarts}), read elsewhere too. */
  CartService(Vertx vertx, CartStore store, SessionStore sessions, CatalogLink catalog, InventoryClient inventory,
      CartSettings settings, MeterRegistry meters, Clock clock, Cache<String, Cart> carts) {
    this.writes = Retries.named("cart.write").attempts(WRITE_ATTEMPTS)
        .backoff(Duration.ofMillis(2), Duration.ofMillis(50))
        .retryIf(err -> err instanceof Conflict).metered(meters).build(vertx);
    this.sessionStarts = Retries.named("cart.session").attempts(3).noBackoff()
        .retryIf(err -> err instanceof Conflict).metered(meters).build(vertx);
    this.store = store;
    this.sessions = sessions;
    this.catalog = catalog;
    this.inventory = inventory;
    this.settings = settings;
    this.meters = meters;
    this.clock = clock;
    this.carts = carts;
    this.knownSessions = Caffeine.newBuilder().expireAfterWrite(SESSION_CACHE_TTL)
        .maximumSize(settings.cacheMaxEntries()).build();
    this.conflicts = Counter.builder("webstore.cart.write.conflicts")
        .description("cart writes that lost the race to another writer and were retried or refused")
        .register(meters);
  }

  /** An empty cache for the carts of one instance ({@code cart.cacheTtlMs}, {@code cart.cacheMaxEntries}). */
  static Cache<String, Cart> keptCarts(CartSettings settings) {
    return Caffeine.newBuilder().expireAfterWrite(settings.cacheTtl()).maximumSize(settings.cacheMaxEntries())
        .build();
  }

  // ---- reads

  Future<PricedCart> get(String owner) {
    return load(owner, true).compose(this::priced);
  }

  /** The cart as stored, unpriced (for a checkout, which prices it itself). */
  Future<CartContents> contents(String owner) {
    return load(owner, true).map(Cart::contents);
  }

  private Future<PricedCart> priced(Cart cart) {
    return catalog.quotes(cart.skus()).map(quotes -> cart.priced(quotes, settings.defaultCurrency()));
  }

  private Future<Cart> load(String owner, boolean cached) {
    Cart kept = cached ? carts.getIfPresent(owner) : null;
    if (kept != null) {
      return Future.succeededFuture(kept);
    }
    return store.find(owner).onSuccess(found -> carts.put(owner, found));
  }

  // ---- changes

  /**
   * Adds units to the SKU's line. With a {@code key} (the client's {@code Idempotency-Key}) the add happens once: a
   * resend finds the key in the cart, written with the units, and gets the cart as it is.
   */
  Future<PricedCart> add(String owner, String sku, int quantity, Optional<String> key) {
    return add(owner, sku, quantity, key, OptionalInt.empty());
  }

  /**
   * {@link #add(String, String, int, Optional)} judged against {@code stockRead}, the units of the SKU that the sender
   * read from the live ledger just before ({@link StockCheck}), when it did: no second read of the ledger.
   */
  Future<PricedCart> add(String owner, String sku, int quantity, Optional<String> key, OptionalInt stockRead) {
    // the checks that need no cart come first and touch only the catalog and Redis: a sold-out SKU costs no
    // DynamoDB call, which matters when a flash sale sells out under load. The one request for quotes also covers
    // the lines of the copy of the cart kept here, so that the rule and the answer need no further one (most adds)
    Cart kept = carts.getIfPresent(owner);
    Set<String> skus = new LinkedHashSet<>();
    if (kept != null) {
      skus.addAll(kept.skus());
    }
    skus.add(sku);
    Future<Quotes> quoted = quotes(skus);
    Future<Map<String, Integer>> stocked = stockRead.isPresent()
        ? Future.succeededFuture(Map.of(sku, stockRead.getAsInt()))
        : inventory.availability(List.of(sku));
    return Future.all(quoted, stocked).compose(checked -> {
      if (!quoted.result().quotes().containsKey(sku)) {
        return Future.failedFuture(new NotFound("product", sku));
      }
      int available = stocked.result().getOrDefault(sku, 0);
      if (available < quantity) {
        return Future.failedFuture(outOfStock(sku, available));
      }
      QuotesHeld held = new QuotesHeld(quoted.result());
      return change("add", owner, held, cart -> held.covering(cart, sku).map(quotes -> {
        Cart added = cart.add(sku, quantity, quotes, settings.limits(), key);
        if (added == cart) {
          return cart; // the resend of an add that was applied: nothing to write
        }
        int total = added.line(sku).orElseThrow().quantity();
        if (total > available) {
          throw outOfStock(sku, available);
        }
        return added;
      }));
    });
  }

  Future<PricedCart> update(String owner, String sku, int quantity) {
    QuotesHeld held = new QuotesHeld(new Quotes(Set.of(), Map.of()));
    return inventory.availability(List.of(sku)).compose(stock -> change("update", owner, held,
        cart -> held.covering(cart, sku).map(quotes -> {
          int present = cart.line(sku).map(CartLine::quantity).orElse(0);
          Cart updated = cart.withQuantity(sku, quantity, quotes, settings.limits());
          int available = stock.getOrDefault(sku, 0);
          if (quantity > present && quantity > available) { // lowering a line is always allowed
            throw outOfStock(sku, available);
          }
          return updated;
        })));
  }

  Future<PricedCart> remove(String owner, String sku) {
    return change("remove", owner, cart -> Future.succeededFuture(cart.without(sku)));
  }

  Future<PricedCart> clear(String owner) {
    return change("clear", owner, cart -> Future.succeededFuture(cart.cleared()));
  }

  /** The catalog's quotes for {@code skus}, with the SKUs asked for (an unknown SKU has no quote). */
  private Future<Quotes> quotes(Set<String> skus) {
    return catalog.quotes(skus).map(quotes -> new Quotes(skus, quotes));
  }

  /** Quotes and the SKUs they were asked for: a SKU asked for without a quote is one the catalog does not price. */
  private record Quotes(Set<String> asked, Map<String, PriceQuote> quotes) {

    boolean cover(Set<String> skus) {
      return asked.containsAll(skus);
    }
  }

  /**
   * The quotes a change asked for last: its rule reuses them while they cover the cart it is given (a retry after a
   * lost race may find lines they do not), and the answer is priced by them when they cover the cart saved. Touched
   * only on the verticle's event loop.
   */
  private final class QuotesHeld {
    private Quotes held;

    QuotesHeld(Quotes first) {
      this.held = first;
    }

    /** Quotes for the cart's SKUs and {@code sku}: the ones held when they cover these, else asked for now. */
    Future<Map<String, PriceQuote>> covering(Cart cart, String sku) {
      Set<String> skus = new LinkedHashSet<>(cart.skus());
      skus.add(sku);
      if (held.cover(skus)) {
        return Future.succeededFuture(held.quotes());
      }
      return quotes(skus).map(asked -> {
        held = asked;
        return asked.quotes();
      });
    }

    /** The cart priced by the held quotes when they cover its lines, else by quotes asked for now. */
    Future<PricedCart> price(Cart cart) {
      return held.cover(cart.skus())
          ? Future.succeededFuture(cart.priced(held.quotes(), settings.defaultCurrency()))
          : priced(cart);
    }
  }

  /** Applies {@code rule} to the owner's cart and saves the result (if it differs), queued per owner, retried. */
  private Future<PricedCart> change(String operation, String owner, Function<Cart, Future<Cart>> rule) {
    return changed(operation, owner, rule, true).compose(this::priced);
  }

  /** {@link #change(String, String, Function)} whose rule quotes through {@code held}, which prices the answer. */
  private Future<PricedCart> change(String operation, String owner, QuotesHeld held,
      Function<Cart, Future<Cart>> rule) {
    return changed(operation, owner, rule, true).compose(held::price);
  }

  // ---- the checkout's claim

  /** The checkout of {@code recordId}, which priced the cart at {@code pricedVersion}, claims it; the new version. */
  Future<Long> claim(String owner, String recordId, String orderId, long pricedVersion, Map<String, Integer> units) {
    return checkoutChange("claim", owner, cart -> cart.claimedBy(recordId, orderId, pricedVersion, units));
  }

  Future<Long> release(String owner, String recordId) {
    return checkoutChange("release", owner, cart -> cart.released(recordId));
  }

  Future<Long> removeOrdered(String owner, String recordId, Map<String, Integer> units) {
    return checkoutChange("removeOrdered", owner, cart -> cart.withoutOrdered(recordId, units));
  }

  /**
   * A checkout's change of the cart, always judged on a fresh read: a kept copy could hide a claim another instance
   * wrote, and a release or removal would then wrongly do nothing.
   */
  private Future<Long> checkoutChange(String operation, String owner, Function<Cart, Cart> rule) {
    return changed(operation, owner, cart -> Future.succeededFuture(rule.apply(cart)), false).map(Cart::version);
  }

  private Future<Cart> changed(String operation, String owner, Function<Cart, Future<Cart>> rule,
      boolean cachedFirst) {
    return queued(owner, () -> retriedOnConflict(owner, attempt -> attempt(owner, rule, cachedFirst && attempt == 1)))
        .andThen(result -> MeterCache.of(meters).counter("webstore.cart.changes",
            "operation", operation,
            "outcome", result.succeeded() ? "success" : result.cause().getClass().getSimpleName()).increment());
  }

  /** One try of a change: read (the kept copy only when {@code cached}), apply the rule, save if it changed. */
  private Future<Cart> attempt(String owner, Function<Cart, Future<Cart>> rule, boolean cached) {
    return load(owner, cached)
        .compose(current -> rule.apply(current).compose(next -> next.equals(current)
            ? Future.succeededFuture(current)
            : store.save(next, expiry(owner)).onSuccess(saved -> carts.put(owner, saved))));
  }

  /**
   * Runs {@code attempt} (numbered from 1) again after a lost race ({@code Conflict}), from a fresh read, up to {@value
   * #WRITE_ATTEMPTS} times with jittered backoff; the kept copy is dropped after each loss.
   */
  private Future<Cart> retriedOnConflict(String owner, IntFunction<Future<Cart>> attempt) {
    AtomicInteger number = new AtomicInteger();
    return writes.run(() -> attempt.apply(number.incrementAndGet()).onFailure(err -> {
          if (err instanceof Conflict) {
            carts.invalidate(owner);
            conflicts.increment();
          }
        }))
        .onFailure(err -> {
          if (err instanceof Conflict) {
            log.warn("cart.write.gave_up attempts={}", number.get());
          }
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

  /** Moves the guest cart of {@code from} (a session) into the customer's cart {@code to}; idempotent. */
  Future<Merged> merge(String from, String to) {
    if (!Owners.isSession(from) || Owners.isSession(to)) {
      return Future.failedFuture(Validation.of("/from", "a merge goes from session:<sid> to customer:<id>"));
    }
    String sid = Owners.sid(from);
    Future<Optional<Session>> session = Session.wellFormed(sid)
        ? activeSession(sid)
        : Future.succeededFuture(Optional.empty());
    return session.compose(active -> active.isEmpty()
        ? get(to).map(cart -> new Merged(cart, 0)) // an expired session's cart is nobody's any more
        : queued(from, () -> mergeQueued(from, to)));
  }

  /**
   * The customer's cart records which guest cart version it took in ({@code last_merge}); the guest cart is emptied
   * afterwards with a conditional write, which moves its version on. Run again after a crash between the two writes,
   * the merge finds its marker and only empties the guest cart; run again after both, the guest cart is empty.
   */
  private Future<Merged> mergeQueued(String from, String to) {
    return store.find(from).compose(guest -> {
      if (guest.isEmpty()) {
        return get(to).map(cart -> new Merged(cart, 0));
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
            return new Merged(customerCart, merged.get());
          }));
    });
  }

  // ---- sessions

  /** The named session if it is known and unexpired, else a new one. */
  Future<GuestSessionStarted> session(Optional<String> sid) {
    Future<Optional<Session>> found = sid.filter(Session::wellFormed).map(this::activeSession)
        .orElseGet(() -> Future.succeededFuture(Optional.empty()));
    return found.compose(session -> session.isPresent()
        ? Future.succeededFuture(new GuestSessionStarted(session.get(), false))
        : sessionStarts.run(this::startSession).map(started -> new GuestSessionStarted(started, true)));
  }

  private Future<Optional<Session>> activeSession(String sid) {
    Instant now = clock.instant();
    Session kept = knownSessions.getIfPresent(sid);
    Future<Optional<Session>> session = kept != null
        ? Future.succeededFuture(Optional.of(kept))
        : sessions.find(sid).onSuccess(found -> found.ifPresent(s -> knownSessions.put(sid, s)));
    return session.map(found -> found.filter(s -> s.activeAt(now)));
  }

  /** One try at a new session; a clash of random ids (practically never) is retried by {@code sessionStarts}. */
  private Future<Session> startSession() {
    Instant now = clock.instant();
    // stored in whole seconds: the copy kept here must say what a read from the table will say
    Session session = Session.start(now, now.plus(settings.sessionTtl()).truncatedTo(ChronoUnit.SECONDS));
    return sessions.create(session)
        .onSuccess(created -> {
          knownSessions.put(created.sid(), created);
          MeterCache.of(meters).counter("webstore.cart.sessions.started").increment();
        });
  }

  static OutOfStock outOfStock(String sku, int available) {
    return new OutOfStock(available == 0
        ? sku + " is out of stock"
        : "only " + available + " units of " + sku + " are available", new JsonArray().add(sku));
  }
}
