package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.error.NotFound;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link CustomerStore}, stated once and run against every adapter: an email is claimed by one
 * account only (of concurrent sign-ups exactly one wins and the losers leave nothing reachable), profiles and
 * credentials read back as written, a consent change sets only the consents it names, a credentials change replaces
 * the hash and adds groups, and what is not there is {@link NotFound}.
 */
@ExtendWith(VertxExtension.class)
abstract class CustomerStoreContract {

  /** The adapter under test. */
  protected abstract Future<CustomerStore> createStore();

  private CustomerStore store;

  @BeforeEach
  void store(VertxTestContext test) {
    createStore().onComplete(test.succeeding(created -> {
      store = created;
      test.completeNow();
    }));
  }

  @Test
  void aCreatedCustomerIsFoundAsWritten(VertxTestContext test) {
    Customer customer = new Customer(id(), email(), at(0), new Consents(true, false, true));
    store.create(customer, Optional.of("$argon2id$hash"), Set.of())
        .compose(created -> {
          test.verify(() -> assertThat(created).isEqualTo(customer));
          return store.find(customer.id());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEqualTo(customer);
          test.completeNow();
        })));
  }

  @Test
  void theCredentialsOfAnAccountAreFoundByItsEmail(VertxTestContext test) {
    Customer customer = Customer.registered(id(), email(), at(0));
    store.create(customer, Optional.of("$argon2id$hash"), Set.of("admin", "support"))
        .compose(created -> store.credentials(customer.email()))
        .onComplete(test.succeeding(credentials -> test.verify(() -> {
          assertThat(credentials).isEqualTo(new Credentials(customer.id(), customer.email(),
              Optional.of("$argon2id$hash"), Set.of("admin", "support")));
          test.completeNow();
        })));
  }

  @Test
  void anAccountWithoutPasswordOrGroupsHasEmptyCredentials(VertxTestContext test) {
    Customer customer = Customer.registered(id(), email(), at(0));
    store.create(customer, Optional.empty(), Set.of())
        .compose(created -> store.credentials(customer.email()))
        .onComplete(test.succeeding(credentials -> test.verify(() -> {
          assertThat(credentials).isEqualTo(new Credentials(customer.id(), customer.email(), Optional.empty(),
              Set.of()));
          test.completeNow();
        })));
  }

  @Test
  void aSecondAccountWithATakenEmailIsAConflictAndLeavesNothingBehind(VertxTestContext test) {
    EmailAddress email = email();
    Customer first = Customer.registered(id(), email, at(0));
    Customer second = Customer.registered(id(), email, at(5));
    store.create(first, Optional.of("first-hash"), Set.of())
        .compose(created -> expectFailure(() -> store.create(second, Optional.of("second-hash"), Set.of("admin")),
            Conflict.class))
        .compose(refused -> expectFailure(() -> store.find(second.id()), NotFound.class))
        .compose(absent -> store.credentials(email))
        .compose(credentials -> {
          test.verify(() -> assertThat(credentials).isEqualTo(new Credentials(first.id(), email,
              Optional.of("first-hash"), Set.of())));
          return store.find(first.id());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEqualTo(first);
          test.completeNow();
        })));
  }

  @Test
  void aTakenIdIsAConflictAndClaimsNoEmail(VertxTestContext test) {
    Customer first = Customer.registered(id(), email(), at(0));
    Customer clash = Customer.registered(first.id(), email(), at(5));
    store.create(first, Optional.empty(), Set.of())
        .compose(created -> expectFailure(() -> store.create(clash, Optional.empty(), Set.of()), Conflict.class))
        .compose(refused -> expectFailure(() -> store.credentials(clash.email()), NotFound.class))
        .compose(absent -> store.find(first.id()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEqualTo(first);
          test.completeNow();
        })));
  }

  @Test
  void concurrentSignUpsOfOneEmailHaveExactlyOneWinnerAndNoReachableOrphan(VertxTestContext test) {
    EmailAddress email = email();
    List<Customer> customers = new ArrayList<>();
    List<Future<Customer>> creates = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Customer customer = Customer.registered(id(), email, at(i));
      customers.add(customer);
      creates.add(store.create(customer, Optional.of("hash-" + i), Set.of()));
    }
    Future.join(creates).otherwiseEmpty()
        .compose(done -> {
          test.verify(() -> {
            assertThat(creates.stream().filter(Future::succeeded).count()).isEqualTo(1);
            assertThat(creates.stream().filter(Future::failed).map(Future::cause))
                .allSatisfy(err -> assertThat(err).isInstanceOf(Conflict.class));
          });
          Customer winner = creates.stream().filter(Future::succeeded).findFirst().orElseThrow().result();
          Future<Void> checked = store.credentials(email).compose(credentials -> {
            test.verify(() -> assertThat(credentials.customerId()).isEqualTo(winner.id()));
            return store.find(winner.id());
          }).map(found -> {
            test.verify(() -> assertThat(found).isEqualTo(winner));
            return null;
          });
          for (Customer loser : customers) {
            if (!loser.id().equals(winner.id())) {
              checked = checked.compose(previous -> expectFailure(() -> store.find(loser.id()), NotFound.class));
            }
          }
          return checked;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void anUnknownCustomerIsNotFound(VertxTestContext test) {
    expectFailure(() -> store.find(id()), NotFound.class).onComplete(test.succeedingThenComplete());
  }

  @Test
  void anEmailNoAccountHasIsNotFound(VertxTestContext test) {
    expectFailure(() -> store.credentials(email()), NotFound.class).onComplete(test.succeedingThenComplete());
  }

  @Test
  void aConsentChangeSetsOnlyTheNamedConsents(VertxTestContext test) {
    Customer customer = new Customer(id(), email(), at(0), new Consents(true, false, false));
    store.create(customer, Optional.empty(), Set.of())
        .compose(created -> store.updateConsents(customer.id(), Map.of(Consents.ANALYTICS, true)))
        .compose(changed -> {
          test.verify(() -> assertThat(changed).isEqualTo(withConsents(customer, new Consents(true, false, true))));
          return store.updateConsents(customer.id(), Map.of(Consents.MARKETING_EMAIL, false));
        })
        .compose(changed -> {
          test.verify(() -> assertThat(changed).isEqualTo(withConsents(customer, new Consents(false, false, true))));
          return store.find(customer.id());
        })
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isEqualTo(withConsents(customer, new Consents(false, false, true)));
          test.completeNow();
        })));
  }

  @Test
  void concurrentChangesOfDifferentConsentsAllLand(VertxTestContext test) {
    Customer customer = Customer.registered(id(), email(), at(0));
    store.create(customer, Optional.empty(), Set.of())
        .compose(created -> Future.all(
            store.updateConsents(customer.id(), Map.of(Consents.MARKETING_EMAIL, true)),
            store.updateConsents(customer.id(), Map.of(Consents.MARKETING_SMS, true)),
            store.updateConsents(customer.id(), Map.of(Consents.ANALYTICS, true))))
        .compose(changed -> store.find(customer.id()))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found.consents()).isEqualTo(new Consents(true, true, true));
          test.completeNow();
        })));
  }

  @Test
  void changingTheConsentsOfAnUnknownCustomerIsNotFoundAndCreatesNothing(VertxTestContext test) {
    String customerId = id();
    expectFailure(() -> store.updateConsents(customerId, Map.of(Consents.ANALYTICS, true)), NotFound.class)
        .compose(refused -> expectFailure(() -> store.find(customerId), NotFound.class))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aCredentialsChangeReplacesTheHashAndAddsGroups(VertxTestContext test) {
    Customer customer = Customer.registered(id(), email(), at(0));
    store.create(customer, Optional.of("old-hash"), Set.of("support"))
        .compose(created -> store.updateCredentials(customer.email(), Optional.of("new-hash"), Set.of("admin")))
        .compose(changed -> store.credentials(customer.email()))
        .compose(credentials -> {
          test.verify(() -> assertThat(credentials).isEqualTo(new Credentials(customer.id(), customer.email(),
              Optional.of("new-hash"), Set.of("support", "admin"))));
          return store.updateCredentials(customer.email(), Optional.empty(), Set.of("admin", "ops"));
        })
        .compose(changed -> store.credentials(customer.email()))
        .onComplete(test.succeeding(credentials -> test.verify(() -> {
          assertThat(credentials).as("no hash given: the hash stays; groups are a union")
              .isEqualTo(new Credentials(customer.id(), customer.email(), Optional.of("new-hash"),
                  Set.of("support", "admin", "ops")));
          test.completeNow();
        })));
  }

  @Test
  void groupsAddedToAnAccountWithoutGroupsAreItsGroups(VertxTestContext test) {
    Customer customer = Customer.registered(id(), email(), at(0));
    store.create(customer, Optional.empty(), Set.of())
        .compose(created -> store.updateCredentials(customer.email(), Optional.empty(), Set.of("admin")))
        .compose(changed -> store.credentials(customer.email()))
        .onComplete(test.succeeding(credentials -> test.verify(() -> {
          assertThat(credentials).isEqualTo(new Credentials(customer.id(), customer.email(), Optional.empty(),
              Set.of("admin")));
          test.completeNow();
        })));
  }

  @Test
  void changingTheCredentialsOfAnUnknownEmailIsNotFoundAndCreatesNothing(VertxTestContext test) {
    EmailAddress email = email();
    expectFailure(() -> store.updateCredentials(email, Optional.of("hash"), Set.of("admin")), NotFound.class)
        .compose(refused -> expectFailure(() -> store.credentials(email), NotFound.class))
        .onComplete(test.succeedingThenComplete());
  }

  // ---- helpers

  /** Succeeds when {@code call} fails (by a failed future or by throwing) with {@code expected}. */
  private static <T> Future<Void> expectFailure(Supplier<Future<T>> call, Class<? extends Throwable> expected) {
    return Future.<Void>succeededFuture().compose(start -> call.get()).transform(result -> {
      if (result.succeeded()) {
        return Future.failedFuture(new AssertionError("expected " + expected.getSimpleName() + ", got "
            + result.result()));
      }
      return expected.isInstance(result.cause()) ? Future.succeededFuture()
          : Future.failedFuture(new AssertionError("expected " + expected.getSimpleName(), result.cause()));
    });
  }

  private static Customer withConsents(Customer customer, Consents consents) {
    return new Customer(customer.id(), customer.email(), customer.createdAt(), consents);
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }

  private static EmailAddress email() {
    return EmailAddress.parse("contract-" + UUID.randomUUID() + "@example.com");
  }

  private static Instant at(int seconds) {
    return Instant.parse("2025-03-01T10:00:00.000Z").plusSeconds(seconds).plusMillis(7);
  }
}
