package io.webstore.cart;

import io.webstore.catalog.PriceQuote;
import io.webstore.platform.money.Amount;
import io.webstore.platform.error.CartCheckedOut;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.error.Validation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A shopping cart as stored: its owner ({@code customer:<id>} or {@code session:<sid>}), its lines in the order they
 * were first added, and the version the next conditional write must find. Every change returns a new cart with the
 * same version; the store moves the version on when it saves.
 *
 * <p>Changes are checked against quotes from the catalog: the cart holds one currency (the currency of its first line
 * the catalog still prices), and a change drops lines the catalog no longer prices in that currency, since they can no
 * longer be bought.
 *
 * <p>A checkout {@linkplain #claimedBy claims} the cart before it holds stock or charges: of two checkouts of one
 * cart (a double-click with two Idempotency-Keys) only one can, and the other is refused with {@link CartCheckedOut}.
 * Changes made while the claim stands (an add during the checkout) keep it; the checkout ends by {@linkplain
 * #withoutOrdered removing exactly the units it ordered}, or {@linkplain #released releasing} the claim when it rolls
 * back, so nothing added meanwhile is lost.
 *
 * @param lastMerge the guest cart ({@code session:<sid>#<version>}) merged last, so a repeated merge adds nothing
 * @param checkout the claim of the checkout running on this cart, if any
 * @param lastCheckout the last checkout that turned this cart into an order
 * @param recentAdds the {@code Idempotency-Key}s of the last {@value #RECENT_ADDS} adds that carried one, oldest first:
 *     an add whose key is among them was applied already, and a resend of it changes nothing
 */
record Cart(String owner, List<CartLine> lines, long version, Optional<String> lastMerge,
    Optional<CartClaim> checkout, Optional<LastCheckout> lastCheckout, List<String> recentAdds) {

  /** How many add keys a cart remembers: a client resends a lost add within seconds, not after this many others. */
  static final int RECENT_ADDS = 32;

  /** The last checkout that completed: its order and the cart version it had claimed. */
  public record LastCheckout(String orderId, long version) {
    public LastCheckout {
      Objects.requireNonNull(orderId, "orderId");
    }
  }

  public Cart {
    Objects.requireNonNull(owner, "owner");
    lines = List.copyOf(lines);
    Objects.requireNonNull(lastMerge, "lastMerge");
    Objects.requireNonNull(checkout, "checkout");
    Objects.requireNonNull(lastCheckout, "lastCheckout");
    recentAdds = List.copyOf(recentAdds);
  }

  /** A cart that remembers no add keys. */
  Cart(String owner, List<CartLine> lines, long version, Optional<String> lastMerge, Optional<CartClaim> checkout,
      Optional<LastCheckout> lastCheckout) {
    this(owner, lines, version, lastMerge, checkout, lastCheckout, List.of());
  }

  /** The lines as stored, unpriced, with the claim of a checkout running on the cart. */
  public CartContents contents() {
    return new CartContents(owner, version, lines, checkout);
  }

  /** A cart that was never saved (version 0). */
  public static Cart empty(String owner) {
    return new Cart(owner, List.of(), 0, Optional.empty(), Optional.empty(), Optional.empty());
  }

  public boolean isEmpty() {
    return lines.isEmpty();
  }

  /** The SKUs of the lines, in line order. */
  public Set<String> skus() {
    Set<String> skus = new LinkedHashSet<>();
    lines.forEach(line -> skus.add(line.sku()));
    return skus;
  }

  public Optional<CartLine> line(String sku) {
    return lines.stream().filter(line -> line.sku().equals(sku)).findFirst();
  }

  /** An opaque, stable id of this cart for clients: it reveals neither the customer id nor the session id. */
  public String id() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(owner.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /**
   * Adds {@code quantity} units of {@code sku} (to its line, or as a new last line).
   *
   * @throws NotFound when the catalog does not know the SKU
   * @throws Validation when the SKU is priced in another currency than the cart, or a limit would be passed
   */
  public Cart add(String sku, int quantity, Map<String, PriceQuote> quotes, CartLimits limits) {
    PriceQuote quote = quotes.get(sku);
    if (quote == null) {
      throw new NotFound("product", sku);
    }
    Cart sellable = sellable(quotes);
    sellable.currency(quotes).filter(currency -> !currency.equals(quote.currency())).ifPresent(currency -> {
      throw Validation.of("/sku", "the cart is in " + currency + " but " + sku + " is priced in " + quote.currency());
    });
    int present = sellable.line(sku).map(CartLine::quantity).orElse(0);
    if (present == 0 && sellable.lines.size() >= limits.maxLines()) {
      throw CartProblems.limitPassed("/sku", "a cart holds at most " + limits.maxLines() + " lines",
          limits.maxLines(), null);
    }
    requireWithinLimit(quote, present + quantity, limits);
    return sellable.withLine(sku, present + quantity);
  }

  /**
   * {@link #add(String, int, Map, CartLimits)} once per {@code key}: an add whose key the cart remembers was applied
   * already, and the cart is returned as it is (the resend of an add whose answer was lost); otherwise the units are
   * added and the key remembered with them, in the same write.
   */
  public Cart add(String sku, int quantity, Map<String, PriceQuote> quotes, CartLimits limits, Optional<String> key) {
    if (key.isEmpty()) {
      return add(sku, quantity, quotes, limits);
    }
    if (recentAdds.contains(key.get())) {
      return this;
    }
    Cart added = add(sku, quantity, quotes, limits);
    List<String> keys = new ArrayList<>(recentAdds);
    keys.add(key.get());
    return new Cart(owner, added.lines, version, lastMerge, checkout, lastCheckout,
        keys.subList(Math.max(0, keys.size() - RECENT_ADDS), keys.size()));
  }

  /** Whether an add with this key was applied to the cart (and is still remembered). */
  public boolean applied(String key) {
    return recentAdds.contains(key);
  }

  /**
   * Sets the units of a SKU already in the cart.
   *
   * @throws NotFound when the cart has no line of the SKU
   * @throws Validation when a limit would be passed
   */
  public Cart withQuantity(String sku, int quantity, Map<String, PriceQuote> quotes, CartLimits limits) {
    Cart sellable = sellable(quotes);
    if (sellable.line(sku).isEmpty()) {
      throw new NotFound("the cart has no line of " + sku);
    }
    requireWithinLimit(quotes.get(sku), quantity, limits);
    return sellable.withLine(sku, quantity);
  }

  /** Without the line of {@code sku}; the same cart when there is none. */
  public Cart without(String sku) {
    return withLines(lines.stream().filter(line -> !line.sku().equals(sku)).toList());
  }

  /** Without any line (a checkout's claim stays: its units were taken out of the cart when it began). */
  public Cart cleared() {
    return withLines(List.of());
  }

  /** The cart at {@code savedVersion}, as the store saved it. */
  public Cart savedAs(long savedVersion) {
    return new Cart(owner, lines, savedVersion, lastMerge, checkout, lastCheckout, recentAdds);
  }

  /**
   * Claims the cart for the checkout of {@code recordId}, which priced it at {@code pricedVersion} and orders {@code
   * units} (units per SKU). The same cart when this checkout holds the claim already.
   *
   * @throws CartCheckedOut when another checkout holds the claim, or completed on a version at or above the priced
   *     one (both priced the same cart)
   * @throws Conflict when the cart no longer holds the units priced (lines were lowered or removed meanwhile); an
   *     add since the pricing is no reason to refuse, its units stay in the cart
   */
  public Cart claimedBy(String recordId, String orderId, long pricedVersion, Map<String, Integer> units) {
    if (checkout.isPresent()) {
      if (checkout.get().recordId().equals(recordId)) {
        return this;
      }
      throw new CartCheckedOut("this cart is being checked out by another checkout; nothing was charged",
          checkout.get().orderId());
    }
    if (lastCheckout.filter(last -> last.version() >= pricedVersion).isPresent()) {
      throw new CartCheckedOut("this cart was already checked out; nothing was charged",
          lastCheckout.get().orderId());
    }
    if (!holds(units)) {
      throw new Conflict("the cart changed while the checkout started; review it and check out again");
    }
    return new Cart(owner, lines, version, lastMerge, Optional.of(new CartClaim(recordId, orderId, version)),
        lastCheckout, recentAdds);
  }

  /** Without the claim of {@code recordId} (its checkout rolled back), lines untouched; else the same cart. */
  public Cart released(String recordId) {
    return claimedBy(recordId)
        ? new Cart(owner, lines, version, lastMerge, Optional.empty(), lastCheckout, recentAdds)
        : this;
  }

  /**
   * When {@code recordId} holds the claim: without the {@code units} it ordered (a line loses as many units as were
   * ordered of its SKU; lines added meanwhile stay), unclaimed, with the order as its last checkout. Else the same
   * cart: the removal was done already.
   */
  public Cart withoutOrdered(String recordId, Map<String, Integer> units) {
    if (!claimedBy(recordId)) {
      return this;
    }
    List<CartLine> left = new ArrayList<>();
    for (CartLine line : lines) {
      int remaining = line.quantity() - units.getOrDefault(line.sku(), 0);
      if (remaining > 0) {
        left.add(new CartLine(line.sku(), remaining));
      }
    }
    CartClaim claim = checkout.orElseThrow();
    return new Cart(owner, left, version, lastMerge, Optional.empty(),
        Optional.of(new LastCheckout(claim.orderId(), claim.version())), recentAdds);
  }

  private boolean claimedBy(String recordId) {
    return checkout.filter(claim -> claim.recordId().equals(recordId)).isPresent();
  }

  /** Whether every SKU of {@code units} has at least that many units here. */
  private boolean holds(Map<String, Integer> units) {
    return units.entrySet().stream()
        .allMatch(unit -> line(unit.getKey()).map(CartLine::quantity).orElse(0) >= unit.getValue());
  }

  /** What a merge did: the resulting cart and how many lines gained units. */
  public record Merge(Cart cart, int mergedLines) {}

  /**
   * Adds the lines of a guest cart, each capped by the limits instead of refused: a line above its limit is cut to
   * it, a line that does not fit (line count, currency, unknown SKU) is left out. Marks {@code marker} as merged.
   */
  public Merge merge(Cart guest, String marker, Map<String, PriceQuote> quotes, CartLimits limits) {
    Cart result = sellable(quotes);
    Optional<String> currency = result.currency(quotes);
    int merged = 0;
    for (CartLine line : guest.lines) {
      PriceQuote quote = quotes.get(line.sku());
      if (quote == null || currency.filter(c -> !c.equals(quote.currency())).isPresent()) {
        continue;
      }
      int present = result.line(line.sku()).map(CartLine::quantity).orElse(0);
      if (present == 0 && result.lines.size() >= limits.maxLines()) {
        continue;
      }
      int quantity = Math.min(present + line.quantity(), limits.lineLimit(quote).units());
      if (quantity > present) {
        result = result.withLine(line.sku(), quantity);
        currency = Optional.of(quote.currency());
        merged++;
      }
    }
    return new Merge(new Cart(owner, result.lines, version, Optional.of(marker), checkout, lastCheckout, recentAdds),
        merged);
  }

  /** The cart as the customer sees it, priced by {@code quotes}; lines the catalog cannot price are left out. */
  public PricedCart priced(Map<String, PriceQuote> quotes, String defaultCurrency) {
    Cart sellable = sellable(quotes);
    String currency = sellable.currency(quotes).orElse(defaultCurrency);
    List<PricedCart.Line> priced = new ArrayList<>();
    Amount subtotal = Amount.zero(currency);
    int items = 0;
    for (CartLine line : sellable.lines) {
      PriceQuote quote = quotes.get(line.sku());
      Amount total = quote.unitPrice().times(line.quantity());
      priced.add(new PricedCart.Line(line.sku(), quote.name(), line.quantity(), quote.unitPrice(), total,
          quote.sale().map(PriceQuote.SaleTerms::id)));
      subtotal = subtotal.plus(total);
      items += line.quantity();
    }
    return new PricedCart(owner, id(), priced, items, subtotal, version, checkout);
  }

  /** The currency of the first line the catalog prices. */
  private Optional<String> currency(Map<String, PriceQuote> quotes) {
    return lines.stream().map(line -> quotes.get(line.sku())).filter(Objects::nonNull).map(PriceQuote::currency)
        .findFirst();
  }

  /** Only the lines the catalog prices, in the cart's currency. */
  private Cart sellable(Map<String, PriceQuote> quotes) {
    List<CartLine> kept = CartContents.sellable(lines,
        sku -> Optional.ofNullable(quotes.get(sku)).map(PriceQuote::currency));
    return kept.size() == lines.size() ? this : withLines(kept);
  }

  private Cart withLine(String sku, int quantity) {
    List<CartLine> changed = new ArrayList<>(lines);
    CartLine line = new CartLine(sku, quantity);
    int index = changed.indexOf(line(sku).orElse(null));
    if (index >= 0) {
      changed.set(index, line);
    } else {
      changed.add(line);
    }
    return withLines(changed);
  }

  private Cart withLines(List<CartLine> changed) {
    return new Cart(owner, changed, version, lastMerge, checkout, lastCheckout, recentAdds);
  }

  private static void requireWithinLimit(PriceQuote quote, int quantity, CartLimits limits) {
    CartLimits.LineLimit limit = limits.lineLimit(quote);
    if (quantity <= limit.units()) {
      return;
    }
    String detail = limit.saleId() == null
        ? "a cart line holds at most " + limit.units() + " units of " + quote.sku()
        : "sale " + limit.saleId() + " allows at most " + limit.units() + " units of " + quote.sku()
            + " per customer";
    throw CartProblems.limitPassed("/quantity", detail, limit.units(), limit.saleId());
  }
}
