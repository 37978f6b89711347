package io.webstore.load;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
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
 * Steady shopping by customers: sign up and log in, browse a category and its products, add up to three of them,
 * view the cart, check out (Idempotency-Key, the same key again while not settled), then the order history and the
 * new order. USERS customers arrive evenly over DURATION seconds (default 100 over 60 s).
 */
public class Checkout extends Simulation {

  private final LoadSettings settings = LoadSettings.read(100, 60);
  private final Limits limits = Limits.read(500, 2000, 5000);
  private final String runId = Shop.runId();

  private final ScenarioBuilder customers = scenario("Checkout")
      .exec(group("account").on(Shop.signUpAndLogIn(runId)))
      .exec(group("browse").on(
          exec(Shop.browseCategory())
              .exitHereIf(session -> session.getList("skus").isEmpty())
              .foreach("#{skus}", "sku").on(exec(Shop.productPage(false)))))
      .exec(group("cart").on(
          foreach("#{skus}", "sku").on(Shop.addToCart(false))
              .exec(Shop.viewCart(false))))
      .pause(Duration.ofMillis(300), Duration.ofSeconds(1))
      .exec(group("checkout").on(Shop.checkout()))
      .exec(group("orders").on(
          exec(Shop.myOrders())
              .doIf(session -> session.contains("orderId")).then(exec(Shop.myOrder()))));

  {
    System.out.println("Checkout: " + settings + " " + limits);
    setUp(customers.injectOpen(rampUsers(settings.users()).during(settings.duration())))
        .protocols(Shop.protocol(settings))
        .assertions(
            global().failedRequests().percent().lte(1.0),
            details("account").failedRequests().percent().lte(1.0),
            details("browse").failedRequests().percent().lte(1.0),
            details("cart").failedRequests().percent().lte(1.0),
            details("checkout").failedRequests().percent().lte(1.0),
            details("orders").failedRequests().percent().lte(1.0),
            details("account", "log in").responseTime().percentile(99.0).lt(limits.authMs()),
            details("browse", "product").responseTime().percentile(99.0).lt(limits.readMs()),
            details("browse", "category listing").responseTime().percentile(99.0).lt(limits.readMs()),
            details("cart", "add to cart").responseTime().percentile(99.0).lt(limits.writeMs()),
            details("cart", "view cart").responseTime().percentile(99.0).lt(limits.readMs()),
            details("checkout", "checkout").responseTime().percentile(99.0).lt(limits.writeMs()),
            details("orders", "order history").responseTime().percentile(99.0).lt(limits.writeMs()));
  }

  @Override
  public void after() {
    System.out.println(Tally.report("Checkout"));
    long placed = Tally.get("checkout", "201");
    System.out.println("Checkout: orders placed " + placed + " of " + settings.users() + " customers");
  }
}
