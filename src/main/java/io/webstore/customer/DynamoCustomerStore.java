package io.webstore.customer;

import static io.webstore.platform.dynamo.Attrs.s;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.dynamo.Attrs;
import io.webstore.platform.dynamo.Condition;
import io.webstore.platform.dynamo.ConditionFailed;
import io.webstore.platform.dynamo.DynamoTable;
import io.webstore.platform.dynamo.Update;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  public static final TableSpec TABLE = TableSpec.of("customers", TableSpec.Key.string("pk"));

  private static final Logger log = LoggerFactory.getLogger(DynamoCustomerStore.class);
  private static final String METRIC = "webstore.customer.dynamo.calls";
  private static final String PROFILE = "customer#";
  private static final String CLAIM = "email#";

  private final DynamoTable table;

  public DynamoCustomerStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.table = DynamoTable.of(vertx, dynamo, meters, METRIC, table, "pk");
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
    return table.put("putProfile", profile, Condition.absent("pk"))
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new Conflict("customer id " + customer.id() + " is taken") // a clash of random ids: retryable
            : err))
        .compose(written -> table.put("claimEmail", claim, Condition.absent("pk"))
            .recover(err -> err instanceof ConditionFailed
                ? deleteProfile(customer.id()).transform(deleted -> Future.failedFuture(
                    new Conflict("an account with this email already exists")))
                : Future.failedFuture(err)))
        .map(claimed -> customer);
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

  @Override
  public Future<Customer> updateConsents(String customerId, Map<String, Boolean> changes) {
    Update update = Update.create().name("#consents", "consents");
    int index = 0;
    for (Map.Entry<String, Boolean> change : changes.entrySet()) {
      update.set("#consents.#c" + index + " = :c" + index)
          .name("#c" + index, change.getKey())
          .value(":c" + index, Attrs.bool(change.getValue()));
      index++;
    }
    return table.update("updateConsents", Map.of("pk", s(PROFILE + customerId)), update, Condition.present("pk"))
        .recover(err -> Future.failedFuture(err instanceof ConditionFailed
            ? new NotFound("customer", customerId)
            : err))
        .map(DynamoCustomerStore::customer);
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
    return Map.of(
        "pk", s(PROFILE + customer.id()),
        "id", s(customer.id()),
        "email", s(customer.email().value()),
        "created_at", s(customer.createdAt().toString()),
        "consents", AttributeValue.fromM(consents));
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
