package io.webstore.customer;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.aws.TableSpec;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

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
public final class DynamoCustomerStore implements CustomerStore {

  /** The table: logical name, prefixed by config. */
  public static final TableSpec TABLE = TableSpec.of("customers", TableSpec.Key.string("pk"));

  private static final Logger log = LoggerFactory.getLogger(DynamoCustomerStore.class);
  private static final String METRIC = "webstore.customer.dynamo.calls";
  private static final String PROFILE = "customer#";
  private static final String CLAIM = "email#";

  private final Vertx vertx;
  private final DynamoDbAsyncClient dynamo;
  private final String table;
  private final MeterRegistry meters;

  public DynamoCustomerStore(Vertx vertx, DynamoDbAsyncClient dynamo, String table, MeterRegistry meters) {
    this.vertx = vertx;
    this.dynamo = dynamo;
    this.table = table;
    this.meters = meters;
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
      claim.put("groups", AttributeValue.fromSs(List.copyOf(groups)));
    }
    return call("putItem", () -> dynamo.putItem(put -> put.tableName(table).item(profile)
            .conditionExpression("attribute_not_exists(pk)")))
        .recover(err -> Future.failedFuture(err instanceof ConditionalCheckFailedException
            ? new Conflict("customer id " + customer.id() + " is taken") // a clash of random ids: retryable
            : err))
        .compose(written -> call("putItem", () -> dynamo.putItem(put -> put.tableName(table).item(claim)
                .conditionExpression("attribute_not_exists(pk)")))
            .recover(err -> err instanceof ConditionalCheckFailedException
                ? deleteProfile(customer.id()).transform(deleted -> Future.failedFuture(
                    new Conflict("an account with this email already exists")))
                : Future.failedFuture(err)))
        .map(claimed -> customer);
  }

  private Future<Void> deleteProfile(String customerId) {
    return call("deleteItem", () -> dynamo.deleteItem(delete -> delete.tableName(table)
            .key(Map.of("pk", s(PROFILE + customerId)))))
        .<Void>mapEmpty()
        .onFailure(err -> log.warn("customer.orphan_profile id={} error={}", customerId, err.toString()));
  }

  @Override
  public Future<Customer> find(String customerId) {
    return call("getItem", () -> dynamo.getItem(get -> get.tableName(table).consistentRead(true)
            .key(Map.of("pk", s(PROFILE + customerId)))))
        .map(response -> {
          if (!response.hasItem() || response.item().isEmpty()) {
            throw new NotFound("customer", customerId);
          }
          return customer(response.item());
        });
  }

  @Override
  public Future<Credentials> credentials(EmailAddress email) {
    return call("getItem", () -> dynamo.getItem(get -> get.tableName(table).consistentRead(true)
            .key(Map.of("pk", s(CLAIM + email.value())))))
        .map(response -> {
          if (!response.hasItem() || response.item().isEmpty()) {
            throw new NotFound("no account has this email");
          }
          Map<String, AttributeValue> item = response.item();
          AttributeValue groups = item.get("groups");
          return new Credentials(item.get("id").s(), email,
              Optional.ofNullable(item.get("password_hash")).map(AttributeValue::s),
              groups == null ? Set.of() : Set.copyOf(groups.ss()));
        });
  }

  @Override
  public Future<Customer> updateConsents(String customerId, Map<String, Boolean> changes) {
    Map<String, String> names = new HashMap<>(Map.of("#consents", "consents"));
    Map<String, AttributeValue> values = new HashMap<>();
    StringBuilder update = new StringBuilder("SET ");
    int index = 0;
    for (Map.Entry<String, Boolean> change : changes.entrySet()) {
      update.append(index == 0 ? "" : ", ").append("#consents.#c").append(index).append(" = :c").append(index);
      names.put("#c" + index, change.getKey());
      values.put(":c" + index, AttributeValue.fromBool(change.getValue()));
      index++;
    }
    return call("updateItem", () -> dynamo.updateItem(request -> request.tableName(table)
            .key(Map.of("pk", s(PROFILE + customerId)))
            .updateExpression(update.toString())
            .conditionExpression("attribute_exists(pk)")
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .returnValues(ReturnValue.ALL_NEW)))
        .recover(err -> Future.failedFuture(err instanceof ConditionalCheckFailedException
            ? new NotFound("customer", customerId)
            : err))
        .map(response -> customer(response.attributes()));
  }

  @Override
  public Future<Void> updateCredentials(EmailAddress email, Optional<String> passwordHash, Set<String> addGroups) {
    Map<String, AttributeValue> values = new HashMap<>();
    List<String> clauses = new ArrayList<>();
    passwordHash.ifPresent(hash -> {
      clauses.add("SET password_hash = :hash");
      values.put(":hash", s(hash));
    });
    if (!addGroups.isEmpty()) {
      clauses.add("ADD #groups :groups"); // a set union: groups the account already has stay as they are
      values.put(":groups", AttributeValue.fromSs(List.copyOf(addGroups)));
    }
    if (clauses.isEmpty()) {
      return Future.succeededFuture();
    }
    return call("updateItem", () -> dynamo.updateItem(request -> {
          request.tableName(table)
              .key(Map.of("pk", s(CLAIM + email.value())))
              .updateExpression(String.join(" ", clauses))
              .conditionExpression("attribute_exists(pk)")
              .expressionAttributeValues(values);
          if (!addGroups.isEmpty()) {
            request.expressionAttributeNames(Map.of("#groups", "groups")); // GROUPS is a reserved word
          }
        }))
        .recover(err -> Future.failedFuture(err instanceof ConditionalCheckFailedException
            ? new NotFound("no account has this email")
            : err))
        .mapEmpty();
  }

  private static Map<String, AttributeValue> profileItem(Customer customer) {
    Map<String, AttributeValue> consents = new LinkedHashMap<>();
    customer.consents().byName().forEach((name, given) -> consents.put(name, AttributeValue.fromBool(given)));
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

  private <T> Future<T> call(String operation, Supplier<CompletableFuture<T>> request) {
    return AwsFutures.timed(vertx, meters, METRIC, operation, () -> request.get());
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
