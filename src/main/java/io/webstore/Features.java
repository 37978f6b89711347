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
