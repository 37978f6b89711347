package io.webstore.events;

import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.events.EventDestination;
import io.webstore.platform.events.EventsConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Events out and in: the outbox relay to the destinations of the routing table ({@code events.routes}), the order
 * status queue from the order management system, and the operators' event endpoints. Deployed after the features
 * whose tables carry outboxes.
 */
public final class EventsFeature implements Feature {

  private final UnaryOperator<EventDestination> around;

  public EventsFeature() {
    this(UnaryOperator.identity());
  }

  /** With each destination wrapped by {@code around} (tests inject faults there). */
  EventsFeature(UnaryOperator<EventDestination> around) {
    this.around = around;
  }

  @Override
  public String name() {
    return "events";
  }

  @Override
  public Future<?> deploy(Services services) {
    EventsConfig events = EventsConfig.from(services.config());
    List<OutboxTable> tables = new ArrayList<>();
    events.outboxTables().forEach((name, prefix) -> tables.add(new OutboxTable(name, DynamoTable.of(
        services.vertx(), services.aws().dynamo(), services.meters(), "webstore.events.dynamo.calls",
        services.config().dynamo().table(name), "pk"), prefix)));
    // built even when the relay is off: an unknown destination in the routing table is a start-up error
    Destinations destinations = Destinations.build(services, events, around);
    List<Future<String>> deployed = new ArrayList<>();
    deployed.add(services.vertx().deployVerticle(new EventsVerticle(tables, events)));
    if (events.relayEnabled()) {
      deployed.add(services.vertx().deployVerticle(new OutboxRelay(tables, destinations, events, services.meters(),
          Clock.systemUTC())));
    } else {
      destinations.close();
    }
    if (events.statusConsumerEnabled()) {
      deployed.add(services.vertx().deployVerticle(new OrderStatusQueue(services.aws().sqs(), events,
          services.config().http().requestTimeout())));
    }
    return Future.all(deployed).map(done -> deployed.stream().map(Future::result).toList());
  }

  @Override
  public void mount(RouterBuilder builder, Services services) {
    new EventsRoutes(new EventsClient(services.vertx(), services.config().http().requestTimeout())).mount(builder);
  }
}
