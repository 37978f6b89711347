package io.webstore.flags;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Replies;
import java.util.Map;
import java.util.OptionalLong;

/** The flags feature's addresses, typed; failures come back as domain exceptions. */
public final class FlagsClient {

  private final EventBus bus;

  public FlagsClient(Vertx vertx) {
    this.bus = vertx.eventBus();
  }

  /** Every flag's value for a customer id (or another stable targeting key). */
  public Future<Map<String, Boolean>> evaluate(String targetingKey) {
    return bus.<JsonObject>request(FlagsVerticle.EVALUATE, new JsonObject().put("key", targetingKey))
        .map(reply -> FlagJson.valuesFromJson(reply.body().getJsonObject("flags")))
        .recover(Replies::recover);
  }

  /** Whether one flag is on for the targeting key ({@code false} for a flag that is neither stored nor defaulted). */
  public Future<Boolean> isOn(String flag, String targetingKey) {
    return evaluate(targetingKey).map(values -> values.getOrDefault(flag, false));
  }

  /**
   * Replaces a flag's rule. With {@code expectedVersion} the change applies only to that version (an HTTP
   * {@code If-Match}); fails with {@link io.webstore.platform.error.Conflict} when the flag moved on.
   */
  public Future<Flag> put(String name, FlagChange change, OptionalLong expectedVersion, String actor) {
    JsonObject command = FlagJson.changeToJson(change).put("name", name).put("actor", actor);
    expectedVersion.ifPresent(version -> command.put("expected_version", version));
    return bus.<JsonObject>request(FlagsVerticle.PUT, command)
        .map(reply -> FlagJson.fromJson(reply.body()))
        .recover(Replies::recover);
  }

  /** Every stored flag with its rule, and the runtime defaults. */
  public Future<FlagListing> list() {
    return bus.<JsonObject>request(FlagsVerticle.LIST, new JsonObject())
        .map(reply -> FlagJson.listingFromJson(reply.body()))
        .recover(Replies::recover);
  }
}
