package io.webstore.customer;

import static io.webstore.platform.dynamo.Attrs.s;

import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Attrs;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import io.webstore.platform.events.EventType;
import io.webstore.platform.events.Events;
import io.webstore.platform.events.Outbox;
import io.webstore.platform.resilience.Retries;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Customers in one DynamoDB table ({@code customers}, key {@code pk}) holding two kinds of item:
 *
 * <ul>
 *   <li>{@code customer#<id>}: the profile (id, email, created_at, consents), read and changed by id;
 *   <li>{@code email#<normalized email>}: the claim on an email with the login credentials (customer id, password
 *       hash, groups).
 * </ul>
 *
 * <p>Creating writes the profile first (a fresh id never clashes), then claims the email with a conditional put that
 * only one writer can win: that put is the commit point, so email uniqueness holds under concurrent sign-ups without
 * transactions. A loser's profile is deleted; should that delete fail, the profile stays unreachable, as no claim
 * and no token names its id. Every read is strongly consistent, so a customer sees their own sign-up and consent
 * changes at once (a GSI on id would be eventually consistent).
 */
final class DynamoCustomerStore implements CustomerStore {

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("customers", TableSpec.Key.string("pk"))
      .withIndex(Outbox.INDEX, TableSpec.Key.string(Outbox.PENDING), TableSpec.Key.string("created_at"));
  /** A consent change that lost to a concurrent one reads again and retries; this many times at most. */
  private static final int CONSENT_ATTEMPTS = 5;

  private static final Logger log = LoggerFactory.getLogger(DynamoCustomerStore.class);
  private static final String METRIC = "webstore.customer.dynamo.calls";
  private static final String PROFILE = "customer#";
  private static final String CLAIM = "email#";

  private final Vertx vertx;
  private final DynamoTable table;
  private final Retries consentRetries;

  public DynamoCustomerStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.vertx = vertx;
    this.table = DynamoTable.of(vertx, dynamo, meters, METRIC, table, "pk");
    this.consentRetries = Retries.named("customer.consents").attempts(CONSENT_ATTEMPTS).noBackoff()
        .retryIf(err -> err instanceof ConsentsChangedMeanwhile)
        .metered(meters)
        .build(vertx);
  }

  /** The consents changed between the read and the conditional write. */
  private static final class ConsentsChangedMeanwhile extends RuntimeException {
    ConsentsChangedMeanwhile(String customerId) {
      super("consents of " + customerId + " changed meanwhile", null, false, false);
    }
  }

  @Override
  public Future<Customer> create(Customer customer, Optional<String> passwordHash, Set<String> groups) {
    Map<String, AttributeValue> profile = profileItem(customer);
    Map<String, AttributeValue> claim = new HashMap<>();
    claim.put("pk", s(CLAIM + customer.email().value()));
    claim.put("id", s(customer.id()));
    claim.put("email", s(customer.email().value()));
    claim.put("created_at", s(customer.createdAt().toString()));
    passwordHash.ifPresent(hash -> claim.put("password_hash", s(hash)));
    if (!groups.isEmpty()) {
      claim.put("groups", Attrs.ss(groups));
    }
    CloudEvent signedUp = Events.create(customer.id() + ":signed-up", EventType.CUSTOMER_SIGNED_UP, customer.id(),
        customer.createdAt(), new JsonObject().put("customer_id", customer.id())
            .put("created_at", customer.createdAt().toString())
            .put("consents", consentsJson(customer.consents())));
    // the profile carries the event: it is written with the profile (a loser of the email claim deletes both)
    Outbox.putInto(profile, PROFILE + customer.id(), List.of(signedUp));
    return table.put("putProfile", profile, Condition.absent("pk"))
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new Conflict("customer id " + customer.id() + " is taken") // a clash of random ids: retryable
            : err))
        .compose(written -> table.put("claimEmail", claim, Condition.absent("pk"))
            .recover(err -> err instanceof ConditionFailed
                ? deleteProfile(customer.id()).transform(deleted -> Future.failedFuture(
                    new Conflict("an account with this email already exists")))
                : Future.failedFuture(err)))
        .map(claimed -> customer)
        .onSuccess(created -> Events.publishLocally(vertx.eventBus(), signedUp));
  }

  private Future<Void> deleteProfile(String customerId) {
    return table.call("deleteItem", () -> table.client().deleteItem(delete -> delete.tableName(table.name())
            .key(Map.of("pk", s(PROFILE + customerId)))))
        .<Void>mapEmpty()
        .onFailure(err -> log.warn("customer.orphan_profile id={} error={}", customerId, err.toString()));
  }

  @Override
  public Future<Customer> find(String customerId) {
    return table.get("getProfile", Map.of("pk", s(PROFILE + customerId)))
        .map(item -> customer(item.orElseThrow(() -> new NotFound("customer", customerId))));
  }

  @Override
  public Future<Credentials> credentials(EmailAddress email) {
    return table.get("getClaim", Map.of("pk", s(CLAIM + email.value())))
        .map(found -> {
          Map<String, AttributeValue> item = found.orElseThrow(() -> new NotFound("no account has this email"));
          AttributeValue groups = item.get("groups");
          return new Credentials(item.get("id").s(), email, Attrs.string(item, "password_hash"),
              groups == null ? Set.of() : Set.copyOf(groups.ss()));
        });
  }

  /**
   * Reads the consents, then writes the changed ones on the condition that none changed meanwhile (a concurrent
   * change makes it read and try again), so the {@code webstore.customer.consent-changed} event in the same write
   * carries exactly the consents before and after. A change that changes nothing writes no event.
   */
  @Override
  public Future<Customer> updateConsents(String customerId, Map<String, Boolean> changes) {
    return consentRetries.run(() -> find(customerId).compose(before -> {
      Map<String, Boolean> merged = new LinkedHashMap<>(before.consents().byName());
      merged.putAll(changes);
      Consents after = Consents.of(merged);
      Update update = Update.create().name("#consents", "consents");
      Condition condition = Condition.of("attribute_exists(pk)");
      StringBuilder unchanged = new StringBuilder("attribute_exists(pk)");
      int index = 0;
      for (Map.Entry<String, Boolean> consent : before.consents().byName().entrySet()) {
        String name = "#c" + index;
        update.name(name, consent.getKey());
        condition = condition.name("#consents", "consents").name(name, consent.getKey());
        unchanged.append(consent.getValue()
            ? " AND #consents." + name + " = :true"
            : " AND (attribute_not_exists(#consents." + name + ") OR #consents." + name + " = :false)");
        if (changes.containsKey(consent.getKey())) {
          update.set("#consents." + name + " = :c" + index).value(":c" + index, Attrs.bool(changes.get(consent.getKey())));
        }
        index++;
      }
      Map<String, AttributeValue> flags = new HashMap<>();
      if (unchanged.indexOf(":true") >= 0) {
        flags.put(":true", Attrs.bool(true));
      }
      if (unchanged.indexOf(":false") >= 0) {
        flags.put(":false", Attrs.bool(false));
      }
      condition = new Condition(unchanged.toString(), condition.names(), flags);
      Optional<CloudEvent> event = after.equals(before.consents()) ? Optional.empty() : Optional.of(Events.create(
          customerId + ":consent:" + UUID.randomUUID(), EventType.CUSTOMER_CONSENT_CHANGED, customerId, Instant.now(),
          new JsonObject().put("customer_id", customerId).put("before", consentsJson(before.consents()))
              .put("after", consentsJson(after)).put("at", Instant.now().toString())));
      event.ifPresent(changed -> Outbox.appendTo(update, PROFILE + customerId, List.of(changed)));
      return table.update("updateConsents", Map.of("pk", s(PROFILE + customerId)), update, condition)
          .recover(err -> Future.failedFuture(!(err instanceof ConditionFailed failed) ? err
              : failed.current().isEmpty() ? new NotFound("customer", customerId)
              : new ConsentsChangedMeanwhile(customerId)))
          .map(DynamoCustomerStore::customer)
          .onSuccess(updated -> event.ifPresent(changed -> Events.publishLocally(vertx.eventBus(), changed)));
    })).recover(err -> Future.failedFuture(err instanceof ConsentsChangedMeanwhile
        ? new Conflict("consents changed meanwhile; retry") : err));
  }

  private static JsonObject consentsJson(Consents consents) {
    JsonObject json = new JsonObject();
    consents.byName().forEach(json::put);
    return json;
  }

  @Override
  public Future<Void> updateCredentials(EmailAddress email, Optional<String> passwordHash, Set<String> addGroups) {
    if (passwordHash.isEmpty() && addGroups.isEmpty()) {
      return Future.succeededFuture();
    }
    Update update = Update.create();
    passwordHash.ifPresent(hash -> update.set("password_hash = :hash").value(":hash", s(hash)));
    if (!addGroups.isEmpty()) {
      // a set union: groups the account already has stay as they are; GROUPS is a reserved word
      update.add("#groups :groups").name("#groups", "groups").value(":groups", Attrs.ss(addGroups));
    }
    return table.update("updateCredentials", Map.of("pk", s(CLAIM + email.value())), update,
            Condition.present("pk"))
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new NotFound("no account has this email")
            : err))
        .mapEmpty();
  }

  private static Map<String, AttributeValue> profileItem(Customer customer) {
    Map<String, AttributeValue> consents = new LinkedHashMap<>();
    customer.consents().byName().forEach((name, given) -> consents.put(name, Attrs.bool(given)));
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(PROFILE + customer.id()));
    item.put("id", s(customer.id()));
    item.put("email", s(customer.email().value()));
    item.put("created_at", s(customer.createdAt().toString()));
    item.put("consents", AttributeValue.fromM(consents));
    return item;
  }

  private static Customer customer(Map<String, AttributeValue> item) {
    Map<String, Boolean> consents = new HashMap<>();
    AttributeValue stored = item.get("consents");
    if (stored != null && stored.hasM()) {
      stored.m().forEach((name, given) -> consents.put(name, Boolean.TRUE.equals(given.bool())));
    }
    return new Customer(item.get("id").s(), new EmailAddress(item.get("email").s()),
        Instant.parse(item.get("created_at").s()), Consents.of(consents));
  }
}
