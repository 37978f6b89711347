package io.webstore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoCatalogTest {

  @Test
  void theDemoDataIsTheSameOnEveryRun() {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    List<DemoCatalog.Item> first = DemoCatalog.products(now);
    List<DemoCatalog.Item> second = DemoCatalog.products(now.plusSeconds(60));
    assertThat(first).hasSize(12 * DemoCatalog.PER_CATEGORY + 1);
    for (int i = 0; i < first.size(); i++) {
      Product a = first.get(i).product();
      Product b = second.get(i).product();
      assertThat(List.of(a.sku(), a.name(), a.description(), a.price(), a.category(), a.attributes(), a.images()))
          .isEqualTo(List.of(b.sku(), b.name(), b.description(), b.price(), b.category(), b.attributes(),
              b.images()));
      assertThat(first.get(i).stock()).isEqualTo(second.get(i).stock()).isBetween(20, 200);
    }
  }

  @Test
  void skusAreUniqueAndCategoriesSpanTen() {
    List<DemoCatalog.Item> items = DemoCatalog.products(Instant.now());
    Set<String> skus = new HashSet<>();
    items.forEach(item -> assertThat(skus.add(item.product().sku())).isTrue());
    assertThat(items.stream().map(item -> item.product().category()).distinct().count()).isGreaterThanOrEqualTo(10);
    assertThat(items.stream().allMatch(item -> item.product().images().get(0)
        .equals("https://images.webstore.local/products/" + item.product().sku() + "/1.jpg"))).isTrue();
    assertThat(DemoCatalog.stores()).hasSize(20);
  }

  @Test
  void theFlashSaleIsHalfPriceAnHourFromNowForAnHour() {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    Product flash = DemoCatalog.products(now).stream().map(DemoCatalog.Item::product)
        .filter(product -> product.sku().equals(DemoCatalog.FLASH_SKU)).findFirst().orElseThrow();
    Sale sale = DemoCatalog.flashSale(flash, now);
    assertThat(sale.startsAt()).isEqualTo(now.plus(Duration.ofHours(1)));
    assertThat(sale.endsAt()).isEqualTo(now.plus(Duration.ofHours(2)));
    assertThat(sale.perCustomerLimit()).isEqualTo(2);
    assertThat(sale.undercuts(flash.price())).isTrue();
  }
}
