package io.webstore.platform.config;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;

/**
 * How features read the runtime settings: {@link #current()} once at start, then {@link #onChange} for each accepted
 * change. Subscribe first, then read, so that no change falls between the two.
 */
public final class RuntimeSettingsClient {

  private final EventBus bus;

  public RuntimeSettingsClient(Vertx vertx) {
    this.bus = vertx.eventBus();
  }

  /** The settings in force. */
  public Future<RuntimeSettings> current() {
    return bus.<JsonObject>request(RuntimeSettingsVerticle.CURRENT, new JsonObject())
        .map(reply -> RuntimeSettings.fromJson(reply.body()))
        .recover(Replies::recover);
  }

  /** Calls {@code handler} with the new settings after each accepted change; wait for the consumer's completion. */
  public MessageConsumer<JsonObject> onChange(Handler<RuntimeSettings> handler) {
    return bus.consumer(RuntimeSettingsVerticle.CHANGED,
        msg -> handler.handle(RuntimeSettings.fromJson(msg.body())));
  }
}
