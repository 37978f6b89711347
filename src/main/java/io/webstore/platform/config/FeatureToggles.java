package io.webstore.platform.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Which features' verticles this process deploys ({@code features.disabled}, a list of feature names). A disabled
 * feature's HTTP operations stay bound and answer 503 until some process serves its addresses.
 */
public record FeatureToggles(Set<String> disabled) {
  public static FeatureToggles from(JsonObject root) {
    return new FeatureToggles(Set.copyOf(new ConfigSection(root, "features").stringList("disabled")));
  }

  public boolean enabled(String feature) {
    return !disabled.contains(feature);
  }
}
