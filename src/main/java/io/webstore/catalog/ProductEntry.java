package io.webstore.catalog;

import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/**
 * What the in-process cache and the listing snapshot keep per SKU: the product (null when it is known not to exist),
 * its document serialized once, and the lower-case text that search matches against. An entry never changes once
 * made (a changed product is a new entry); it also keeps the last document rendered from it, see {@link
 * #rendered()}.
 */
final class ProductEntry {

  static final ProductEntry MISSING = new ProductEntry(null, null, null);

  /** A document rendered from this entry with {@code units} available and {@code sale} running (null: none). */
  record Rendered(int units, SaleEntry sale, ProductDocument document) {}

  private final Product product;
  private final Buffer openDocument;
  private final String searchText;
  // written by whichever event loop renders first; any value it holds is a complete, correct rendering
  private volatile Rendered rendered;

  private ProductEntry(Product product, Buffer openDocument, String searchText) {
    this.product = product;
    this.openDocument = openDocument;
    this.searchText = searchText;
  }

  static ProductEntry of(Product product) {
    if (product == null) {
      return MISSING;
    }
    return new ProductEntry(product, CatalogJson.openDocument(product),
        (product.name() + "\n" + product.description()).toLowerCase(Locale.ROOT));
  }

  Product product() {
    return product;
  }

  /** The document without its closing brace, to which availability and the running sale are appended. */
  Buffer openDocument() {
    return openDocument;
  }

  String searchText() {
    return searchText;
  }

  boolean exists() {
    return product != null;
  }

  /** The document last rendered from this entry, or null. */
  Rendered rendered() {
    return rendered;
  }

  void rendered(Rendered latest) {
    rendered = latest;
  }

  @Override
  public String toString() {
    return product == null ? "ProductEntry[missing]" : "ProductEntry[" + product.sku() + "]";
  }
}
