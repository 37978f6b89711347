package io.webstore.load;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Guests browsing: categories, a category's listing, product pages revalidated with their ETag (304), a product
 * added to a guest cart (session in {@code X-Session-Id}, as mobile clients keep it) and the cart viewed.
 * USERS guests arrive evenly over DURATION seconds (default 200 over 30 s).
 */
public class Browse extends Simulation {

  private final LoadSettings settings = LoadSettings.read(200, 30);
  private final Limits limits = Limits.read(500, 2000, 5000);

  private final ScenarioBuilder guests = scenario("Browse")
      .exec(group("cart").on(exec(Shop.openGuestCart())))
      .exec(group("browse").on(
          exec(Shop.browseCategory())
              .exitHereIf(session -> session.getList("skus").isEmpty())
              .foreach("#{skus}", "sku").on(
                  exec(Shop.productPage(true)).pause(Duration.ofMillis(300), Duration.ofSeconds(1)))))
      .exec(group("cart").on(
          exec(session -> session.set("sku", session.getList("skus").get(0)))
              .exec(Shop.addToCart(true))
              .exec(Shop.viewCart(true))));

  {
    System.out.println("Browse: " + settings + " " + limits);
    setUp(guests.injectOpen(rampUsers(settings.users()).during(settings.duration())))
        .protocols(Shop.protocol(settings))
        .assertions(
            global().failedRequests().percent().lte(1.0),
            details("browse").failedRequests().percent().lte(1.0),
            details("cart").failedRequests().percent().lte(1.0),
            details("browse", "product").responseTime().percentile(99.0).lt(limits.readMs()),
            details("browse", "product revalidated").responseTime().percentile(99.0).lt(limits.readMs()),
            details("browse", "category listing").responseTime().percentile(99.0).lt(limits.readMs()),
            details("cart", "add to cart").responseTime().percentile(99.0).lt(limits.writeMs()),
            details("cart", "view cart").responseTime().percentile(99.0).lt(limits.readMs()));
  }

  @Override
  public void after() {
    System.out.println(Tally.report("Browse"));
  }
}
