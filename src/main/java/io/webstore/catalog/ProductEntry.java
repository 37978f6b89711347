package io.webstore.catalog;

import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/**
 * What the in-process cache and the listing snapshot keep per SKU: the product (null when it is known not to exist),
 * its document serialized once, and the lower-case text that search matches against.
 */
record ProductEntry(Product product, Buffer openDocument, String searchText) {

  static final ProductEntry MISSING = new ProductEntry(null, null, null);

  static ProductEntry of(Product product) {
    if (product == null) {
      return MISSING;
    }
    return new ProductEntry(product, CatalogJson.openDocument(product),
        (product.name() + "\n" + product.description()).toLowerCase(Locale.ROOT));
  }

  boolean exists() {
    return product != null;
  }
}
