package io.webstore;

import io.webstore.platform.bootstrap.Feature;
import java.util.List;

/** Every feature of the store, in deployment order. */
public final class Features {

  private Features() {}

  public static List<Feature> all() {
    return List.of();
  }
}
