package io.webstore;

import io.webstore.platform.bootstrap.Feature;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Every feature of the store, in deployment order (a feature's dependencies come before it). */
public final class Features {

  /**
   * Features that deploy at the same time when they stand next to each other in the deployment order (their
   * verticles start on different event loops, so a start uses both cores): none of them calls another's addresses
   * while it starts, and each needs only features before its group (flags: the runtime settings). Orders and checkout
   * stay on their own: their starts finish what a crash left undone, through payment, inventory and cart.
   * Within a group, only the last feature deploys a verticle after an asynchronous step (catalog's API verticles
   * after the first load), so every verticle is created in the same order, and lands on the same event loop, as when
   * the features deployed one after another (see fraud's place below). The one exception: the inbound events' queue
   * poller and the three feed consumers are each deployed once their queues or topics exist, so they may trade event
   * loops among themselves (the verticles after them keep theirs: as many were created before them).
   */
  private static final List<Set<String>> DEPLOYED_TOGETHER = List.of(
      Set.of("customer", "runtime"),
      Set.of("flags", "catalog"),
      Set.of("inventory", "cart", "payment"),
      Set.of("inbound-events", "feeds"),
      Set.of("events", "fraud"));

  private Features() {}

  /**
   * {@code features} in deployment steps, in order: each step's features deploy at the same time, after every
   * feature of the steps before. Neighbours of one group of {@link #DEPLOYED_TOGETHER} share a step; any other
   * feature (one of a test's own, too) is a step of its own.
   */
  public static List<List<Feature>> deploySteps(List<Feature> features) {
    List<List<Feature>> steps = new ArrayList<>();
    Set<String> group = Set.of();
    for (Feature feature : features) {
      if (!steps.isEmpty() && group.contains(feature.name())) {
        steps.get(steps.size() - 1).add(feature);
        continue;
      }
      group = DEPLOYED_TOGETHER.stream().filter(together -> together.contains(feature.name())).findFirst()
          .orElse(Set.of());
      steps.add(new ArrayList<>(List.of(feature)));
    }
    return steps.stream().map(List::copyOf).toList();
  }

  public static List<Feature> all() {
    List<Feature> features = new ArrayList<>();
    // customer feature
    features.add(new io.webstore.customer.CustomerFeature());
    // flags feature
    features.add(new io.webstore.platform.config.RuntimeSettingsFeature()); // before every reader of the settings
    features.add(new io.webstore.flags.FlagsFeature());
    // catalog feature
    features.add(new io.webstore.catalog.CatalogFeature());
    // inventory feature
    features.add(new io.webstore.inventory.InventoryFeature());
    // cart feature
    features.add(new io.webstore.cart.CartFeature());
    // checkout & orders features
    features.add(new io.webstore.payment.PaymentFeature());
    features.add(new io.webstore.orders.OrdersFeature());
    features.add(new io.webstore.checkout.CheckoutFeature());
    // events from other services, through EventBridge
    features.add(new io.webstore.events.InboundEventsFeature());
    // feeds in from Kafka: after the features whose *.feed addresses it calls
    features.add(new io.webstore.feeds.FeedsFeature());
    // events out and in: after every feature whose items carry an outbox
    features.add(new io.webstore.events.EventsFeature());
    // fraud feature (reads the runtime settings; the login and, later, the checkout ask it). Last: a verticle
    // deployed earlier would move every later one to another event loop
    features.add(new io.webstore.fraud.FraudFeature());
    return List.copyOf(features);
  }
}
