package io.webstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeaturesTest {

  @Test
  void theStoreDeploysInStepsThatKeepEachFeatureAfterWhatItNeeds() {
    assertEquals(List.of(
            List.of("customer", "runtime"),
            List.of("flags", "catalog"),
            List.of("inventory", "cart", "payment"),
            List.of("orders"),
            List.of("checkout"),
            List.of("inbound-events", "feeds"),
            List.of("events", "fraud")),
        names(Features.deploySteps(Features.all())));
  }

  @Test
  void aFeatureBetweenTwoOfAGroupSplitsIt() {
    List<Feature> features = List.of(named("inventory"), named("cart"), named("audit"), named("payment"));

    assertEquals(List.of(List.of("inventory", "cart"), List.of("audit"), List.of("payment")),
        names(Features.deploySteps(features)));
  }

  @Test
  void featuresOfNoGroupDeployOneAfterAnother() {
    List<Feature> features = List.of(named("one"), named("two"), named("three"));

    assertEquals(List.of(List.of("one"), List.of("two"), List.of("three")), names(Features.deploySteps(features)));
  }

  @Test
  void aDisabledFeatureLeavesTheRestOfItsGroupTogether() {
    List<Feature> features = Features.all().stream().filter(feature -> !feature.name().equals("cart")).toList();

    assertEquals(List.of("inventory", "payment"), names(Features.deploySteps(features)).get(2));
  }

  private static List<List<String>> names(List<List<Feature>> steps) {
    return steps.stream().map(step -> step.stream().map(Feature::name).toList()).toList();
  }

  private static Feature named(String name) {
    return new Feature() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<?> deploy(Services services) {
        return Future.succeededFuture();
      }
    };
  }
}
