package io.webstore.catalog;

import io.vertx.core.buffer.Buffer;

/** A sale and its {@code sale} member of product documents, serialized once. */
record SaleEntry(Sale sale, Buffer member) {

  static SaleEntry of(Sale sale) {
    return new SaleEntry(sale, CatalogJson.saleMember(sale));
  }
}
