package io.webstore;

import io.webstore.platform.bootstrap.Feature;
import java.util.ArrayList;
import java.util.List;

/** Every feature of the store, in deployment order (a feature's dependencies come before it). */
public final class Features {

  private Features() {}

  public static List<Feature> all() {
    List<Feature> features = new ArrayList<>();
    // customer feature
    // flags feature
    // catalog feature
    // inventory feature
    // cart feature
    // checkout & orders features
    return List.copyOf(features);
  }
}
