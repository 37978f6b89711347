package io.webstore.catalog;

import java.time.Instant;
import java.util.List;

/** The demo catalog's SKUs, in its fixed order: what every {@code make run} store (and the test store) holds. */
public final class DemoSkus {

  private DemoSkus() {}

  public static List<String> all() {
    return DemoCatalog.products(Instant.EPOCH).stream().map(item -> item.product().sku()).toList();
  }
}
