package io.webstore.cart;

import io.webstore.catalog.PriceQuote;

/**
 * How much one cart may hold: units per line ({@code cart.maxQuantityPerLine}) and distinct lines ({@code
 * cart.maxLines}). A running sale's per-customer limit lowers the per-line limit of its SKU.
 */
record CartLimits(int maxQuantityPerLine, int maxLines) {

  /** The most units of one SKU a line may hold at this quote, and why. */
  LineLimit lineLimit(PriceQuote quote) {
    return quote.sale()
        .filter(sale -> sale.perCustomerLimit() > 0 && sale.perCustomerLimit() < maxQuantityPerLine)
        .map(sale -> new LineLimit(sale.perCustomerLimit(), sale.id()))
        .orElse(new LineLimit(maxQuantityPerLine, null));
  }

  /** A per-line limit; {@code saleId} is set when a sale's per-customer limit is the binding one. */
  record LineLimit(int units, String saleId) {}
}
