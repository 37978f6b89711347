package io.webstore.cart;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A cart as stored, unpriced: its lines, the version they were read at, and the claim of a checkout running on it. For
 * a reader that prices the cart itself (the checkout).
 *
 * @param checkout the claim of a checkout running on the cart, if any
 */
public record CartContents(String owner, long version, List<CartLine> lines, Optional<CartClaim> checkout) {

  public CartContents {
    Objects.requireNonNull(owner, "owner");
    lines = List.copyOf(lines);
    Objects.requireNonNull(checkout, "checkout");
  }

  /**
   * The lines its customer sees, as in every priced cart: only those the catalog sells, in the currency of the first
   * of them. {@code currencyOf} gives a SKU's currency now, empty when the catalog does not sell it.
   */
  public CartContents shown(Function<String, Optional<String>> currencyOf) {
    List<CartLine> shown = sellable(lines, currencyOf);
    return shown.size() == lines.size() ? this : new CartContents(owner, version, shown, checkout);
  }

  /** The lines the catalog sells, in the currency of the first of them (the rule of every priced cart). */
  static List<CartLine> sellable(List<CartLine> lines, Function<String, Optional<String>> currencyOf) {
    Optional<String> currency = lines.stream().map(line -> currencyOf.apply(line.sku()))
        .flatMap(Optional::stream).findFirst();
    return lines.stream()
        .filter(line -> currencyOf.apply(line.sku()).filter(priced -> currency.filter(priced::equals).isPresent())
            .isPresent())
        .toList();
  }
}
