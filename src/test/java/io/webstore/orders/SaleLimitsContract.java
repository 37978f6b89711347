package io.webstore.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.webstore.platform.error.Conflict;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract of {@link SaleLimits}, stated once and run against every adapter: a customer's units of a sale never
 * pass its limit however checkouts race, each checkout's take and give-back is applied at most once whatever the
 * retries, and a give-back that arrives first fences its take out.
 */
@ExtendWith(VertxExtension.class)
abstract class SaleLimitsContract {

  /** The adapter under test. */
  protected abstract Future<SaleLimits> createLimits();

  private SaleLimits limits;
  private String customer;
  private String sale;

  @BeforeEach
  void limits(VertxTestContext test) {
    customer = "cust-" + UUID.randomUUID();
    sale = "sale-" + UUID.randomUUID();
    createLimits().onComplete(test.succeeding(created -> {
      limits = created;
      test.completeNow();
    }));
  }

  @Test
  void checkoutsTakeUnitsUpToTheLimitAndNoFurther(VertxTestContext test) {
    limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 2, 3)))
        .compose(first -> limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 1, 3))))
        .compose(second -> limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 1, 3))))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(Conflict.class);
          Conflict conflict = (Conflict) err;
          assertThat(conflict.extensions().getString("sale_id")).isEqualTo(sale);
          assertThat(conflict.extensions().getInteger("limit")).isEqualTo(3);
          test.completeNow();
        })));
  }

  @Test
  void aClaimOverTheLimitOnItsOwnFails(VertxTestContext test) {
    limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 4, 3)))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).isInstanceOf(Conflict.class);
          assertThat(((Conflict) err).extensions().getString("sale_id")).isEqualTo(sale);
          test.completeNow();
        })));
  }

  @Test
  void eachCustomerHasTheirOwnAllowance(VertxTestContext test) {
    String other = "cust-" + UUID.randomUUID();
    limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 3, 3)))
        .compose(taken -> limits.claim(other, checkout(), List.of(new SaleClaim(sale, 3, 3))))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aRepeatedClaimOfOneCheckoutCountsOnce(VertxTestContext test) {
    String checkout = checkout();
    List<SaleClaim> two = List.of(new SaleClaim(sale, 2, 3));
    limits.claim(customer, checkout, two)
        .compose(first -> limits.claim(customer, checkout, two))
        .compose(again -> limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 1, 3))))
        .compose(third -> limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 1, 3))))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).as("2 + 1 units taken: the repeat counted once").isInstanceOf(Conflict.class);
          test.completeNow();
        })));
  }

  @Test
  void aReleaseGivesTheUnitsBackOnceHoweverOftenItIsRepeated(VertxTestContext test) {
    String checkout = checkout();
    List<SaleClaim> three = List.of(new SaleClaim(sale, 3, 3));
    limits.claim(customer, checkout, three)
        .compose(taken -> limits.release(customer, checkout, three))
        .compose(released -> limits.release(customer, checkout, three))
        .compose(again -> limits.claim(customer, checkout(), three))
        .compose(retaken -> limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 1, 3))))
        .onComplete(test.failing(err -> test.verify(() -> {
          assertThat(err).as("given back once, not twice").isInstanceOf(Conflict.class);
          test.completeNow();
        })));
  }

  @Test
  void aReleaseBeforeItsClaimFencesTheClaimOut(VertxTestContext test) {
    String checkout = checkout();
    List<SaleClaim> two = List.of(new SaleClaim(sale, 2, 3));
    limits.release(customer, checkout, two)
        .compose(fenced -> limits.claim(customer, checkout, two).transform(late -> {
          test.verify(() -> assertThat(late.cause()).as("the late take").isInstanceOf(Conflict.class));
          return limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 3, 3)));
        }))
        .onComplete(test.succeedingThenComplete()); // the fenced take took nothing, nor did the fence give any
  }

  @Test
  void claimsTakenBeforeAFailingOneStayTakenUntilReleased(VertxTestContext test) {
    String otherSale = "sale-" + UUID.randomUUID();
    String checkout = checkout();
    List<SaleClaim> claims = List.of(new SaleClaim(sale, 2, 2), new SaleClaim(otherSale, 3, 2));
    limits.claim(customer, checkout, claims)
        .transform(failed -> {
          test.verify(() -> assertThat(failed.cause()).isInstanceOf(Conflict.class));
          return limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 1, 2)));
        })
        .transform(full -> {
          test.verify(() -> assertThat(full.cause()).as("the first claim stayed taken").isInstanceOf(Conflict.class));
          return limits.release(customer, checkout, claims);
        })
        .compose(released -> limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 2, 2))))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void racingCheckoutsNeverPassTheLimit(VertxTestContext test) {
    List<Future<Void>> claims = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      claims.add(limits.claim(customer, checkout(), List.of(new SaleClaim(sale, 1, 4))));
    }
    Future.join(claims).onComplete(done -> test.verify(() -> {
      assertThat(claims.stream().filter(Future::succeeded).count()).isEqualTo(4);
      assertThat(claims.stream().filter(Future::failed).map(Future::cause))
          .allSatisfy(err -> assertThat(err).isInstanceOf(Conflict.class));
      test.completeNow();
    }));
  }

  private static String checkout() {
    return "cust#key-" + UUID.randomUUID();
  }
}
